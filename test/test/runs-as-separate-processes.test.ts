import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { createRolePartners, freePort, hubClient, migrateAll, seedPopulation, startHubProcesses, type HubClient, type HubProcesses } from '@health-hub/hub';
import { SUBGRAPH_NAMES, type SubgraphName } from '@health-hub/schema';
import { createPopulation } from '@health-hub/simulators';
import { request } from 'undici';
import { PERSON_360, query } from '../src/graphql-client';

/** One span as an OTLP/JSON export names it, with the service that sent it. */
interface ExportedSpan { service: string; traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number }

/** A stand-in OpenTelemetry collector: keeps the spans the services export over OTLP/HTTP (JSON). */
function otlpCollector(): { server: Server; spans: ExportedSpan[] } {
  const spans: ExportedSpan[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const exported = JSON.parse(body) as { resourceSpans: Array<{ resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> }; scopeSpans: Array<{ spans: Array<Omit<ExportedSpan, 'service'>> }> }> };
      for (const resource of exported.resourceSpans) {
        const service = resource.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
        for (const scope of resource.scopeSpans) for (const span of scope.spans) spans.push({ ...span, service });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return { server, spans };
}

describe('the hub as separate processes (as npm start runs it)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: HubProcesses;
  let client: HubClient;
  const exits: Array<{ name: string; code: number | null; signal: NodeJS.Signals | null }> = [];
  const population = createPopulation({ seed: 5, size: 60 });
  const collector = otlpCollector();

  beforeAll(async () => {
    db = await freshDatabase();
    await migrateAll(db.url);
    await seedPopulation({ databaseUrl: db.url, population });
    const ports = {} as Record<SubgraphName, number>;
    for (const name of SUBGRAPH_NAMES) ports[name] = await freePort();
    await new Promise<void>((resolve) => collector.server.listen(0, '127.0.0.1', resolve));
    const { port } = collector.server.address() as { port: number };
    hub = await startHubProcesses({
      env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${port}/v1/traces` },
      databaseUrl: db.url,
      subgraphPorts: ports,
      gatewayPort: await freePort(),
      onUnexpectedExit: (name, code, signal) => exits.push({ name, code, signal }),
    });
    client = hubClient(hub.gatewayUrl, (await createRolePartners(db.url)).ministry, 'ministry');
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
    await db?.drop();
    collector.server.close();
  });

  it('answers person-360 through the gateway process from five subgraph processes', async () => {
    const person = population.person(7);
    const body = await query(client, PERSON_360, { id: person.citizenId });
    expect(body.errors).toBeUndefined();
    expect(body.data.person).toMatchObject({ id: person.citizenId, fullName: person.fullName, birthYear: person.birthYear });
    expect(hub.processes.map((p) => p.name)).toEqual([...SUBGRAPH_NAMES, 'gateway']);
  });

  it('exports one trace per request across the gateway and subgraph processes, over OTLP', async () => {
    const traceId = randomBytes(16).toString('hex');
    const partnerSpanId = randomBytes(8).toString('hex');
    const response = await request(`${client.url}/graphql`, {
      method: 'POST',
      headers: { ...client.headers, 'content-type': 'application/json', traceparent: `00-${traceId}-${partnerSpanId}-01` },
      body: JSON.stringify({ query: PERSON_360, variables: { id: population.person(8).citizenId } }),
    });
    expect(((await response.body.json()) as { errors?: unknown }).errors).toBeUndefined();
    const services = () => new Set(collector.spans.filter((s) => s.traceId === traceId).map((s) => s.service));
    // Spans leave each process in batches, every few seconds.
    for (let waited = 0; services().size < SUBGRAPH_NAMES.length && waited < 60_000; waited += 250) await new Promise((r) => setTimeout(r, 250));
    expect([...services()].sort()).toEqual(['hub-cases', 'hub-gateway', 'hub-insurance', 'hub-registry', 'hub-testing', 'hub-vaccination']);
    const spans = collector.spans.filter((s) => s.traceId === traceId);
    const ids = new Map(spans.map((s) => [s.spanId, s]));
    expect(spans.find((s) => s.service === 'hub-gateway' && s.parentSpanId === partnerSpanId)?.name).toBe('POST /graphql');
    // Each subgraph's request is the child of the gateway's fetch of it, in another process.
    for (const span of spans.filter((s) => s.service !== 'hub-gateway' && s.name === 'POST /graphql')) {
      expect(ids.get(span.parentSpanId!)).toMatchObject({ service: 'hub-gateway', name: 'gateway.fetch' });
    }
    expect(spans.some((s) => s.service === 'hub-registry' && s.name.startsWith('SELECT '))).toBe(true);
  }, 90_000);

  it('restarts a subgraph process that dies, and the gateway answers the other fields meanwhile', async () => {
    const insurance = hub.processes.find((p) => p.name === 'insurance')!;
    const killed = insurance.child;
    await new Promise<void>((resolve) => {
      killed.once('exit', () => resolve());
      killed.kill('SIGKILL');
    });
    expect(exits).toEqual([{ name: 'insurance', code: null, signal: 'SIGKILL' }]);
    const person = population.person(7);
    const answers: Array<{ data: { person: { fullName: string; healthInsurance: unknown } }; errors?: Array<{ extensions: Record<string, unknown> }> }> = [];
    const deadline = Date.now() + 60_000;
    // Until the restarted process answers: every answer meanwhile has the other fields, and says why insurance is missing.
    for (;;) {
      const body = await query(client, '{ person(id: "' + person.citizenId + '") { fullName healthInsurance { cardNumber } } }');
      answers.push(body);
      if (body.data.person.healthInsurance !== null || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const partial = answers.filter((a) => a.data.person.healthInsurance === null);
    expect(partial.length).toBeGreaterThan(0);
    for (const a of answers) expect(a.data.person.fullName).toBe(person.fullName);
    for (const a of partial) expect(a.errors?.[0]?.extensions).toMatchObject({ code: 'HUB_GATEWAY_SUBGRAPH_UNAVAILABLE', subgraph: 'insurance' });
    expect(answers.at(-1)!.data.person.healthInsurance).not.toBeNull();
    expect(insurance.restarts).toBe(1);
    expect(insurance.child.pid).not.toBe(killed.pid);
  }, 90_000);
});
