import { randomBytes } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { seedPopulation, startInProcessHub, startTracing, type InProcessHub, type Tracing } from '@health-hub/hub';
import { createPopulation } from '@health-hub/simulators';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { request } from 'undici';
import { PERSON_360 } from '../src/graphql-client';

const SIZE = 300;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const population = createPopulation({ seed: 17, size: SIZE });

/** The span's parent's ID (the SDK 2 field, with the older one as a fallback). */
const parentOf = (span: ReadableSpan): string | undefined =>
  span.parentSpanContext?.spanId ?? (span as unknown as { parentSpanId?: string }).parentSpanId;

describe('traces', () => {
  const exporter = new InMemorySpanExporter();
  const lines: string[] = [];
  let tracing: Tracing;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;

  beforeAll(async () => {
    tracing = startTracing({ service: 'test', exporter });
    db = await freshDatabase();
    hub = await startInProcessHub({ databaseUrl: db.url, logLevel: 'info', logStream: { write: (line) => void lines.push(line) } });
    await seedPopulation({ databaseUrl: db.url, population, batchPeople: SIZE });
  });
  afterAll(async () => {
    await hub?.stop();
    await db?.drop();
    await tracing?.shutdown();
  });

  /** A person-360 sent inside the partner's own trace; the spans of that trace once the gateway's has ended. */
  async function person360InTrace(requestId: string, personIndex: number) {
    const traceId = randomBytes(16).toString('hex');
    const partnerSpanId = randomBytes(8).toString('hex');
    const client = hub.client();
    const person = population.person(personIndex);
    const response = await request(`${client.url}/graphql`, {
      method: 'POST',
      headers: { ...client.headers, 'content-type': 'application/json', traceparent: `00-${traceId}-${partnerSpanId}-01`, 'x-request-id': requestId },
      body: JSON.stringify({ query: PERSON_360, variables: { id: person.citizenId } }),
    });
    const body = (await response.body.json()) as { data: { person: { id: string } }; errors?: unknown };
    const ofTrace = () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    // The server spans end when their answers are sent: wait for the gateway's.
    for (let i = 0; i < 100 && !ofTrace().some((s) => s.kind === SpanKind.SERVER && parentOf(s) === partnerSpanId); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { traceId, partnerSpanId, person, body, headers: response.headers, spans: ofTrace() };
  }

  it('follows a partner\'s trace from the gateway through each subgraph fetch to its SQL', async () => {
    const { partnerSpanId, person, body, headers, spans } = await person360InTrace('partner-request-0001', 5);
    expect(body.errors).toBeUndefined();
    expect(body.data.person.id).toBe(person.citizenId);
    // The gateway names the request itself; the partner's own ID is kept beside it.
    const requestId = headers['x-request-id'] as string;
    expect(requestId).toMatch(UUID);

    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const gateway = spans.filter((s) => s.kind === SpanKind.SERVER && parentOf(s) === partnerSpanId);
    expect(gateway.map((s) => s.name)).toEqual(['POST /graphql']);
    expect(gateway[0]!.attributes).toMatchObject({ 'hub.request_id': requestId, 'hub.partner_request_id': 'partner-request-0001' });
    expect(gateway[0]!.attributes['http.response.status_code']).toBe(200);

    // Apollo Gateway's query plan: one fetch per subgraph a person-360 reads.
    const fetches = spans.filter((s) => s.name === 'gateway.fetch');
    expect(fetches.map((s) => s.attributes.service).sort()).toEqual(['cases', 'insurance', 'registry', 'testing', 'vaccination']);

    // Each fetch continues in its subgraph as a server span, through the traceparent header.
    const subgraphRequests = spans.filter((s) => s.kind === SpanKind.SERVER && s !== gateway[0]);
    expect(subgraphRequests).toHaveLength(fetches.length);
    for (const span of subgraphRequests) {
      expect(byId.get(parentOf(span)!)?.name).toBe('gateway.fetch');
      expect(span.attributes['hub.request_id']).toBe(requestId);
    }
    const fetchedBy = (span: ReadableSpan) => byId.get(parentOf(span)!)?.attributes.service;

    // Each subgraph's SQL, under its request: one named statement each for a person-360.
    const statements = spans.filter((s) => s.kind === SpanKind.CLIENT && s.attributes['db.system.name'] === 'postgresql');
    for (const span of subgraphRequests) {
      const own = statements.filter((s) => parentOf(s) === span.spanContext().spanId);
      expect({ subgraph: fetchedBy(span), named: own.filter((s) => s.attributes['db.statement.name']).length }).toEqual({ subgraph: fetchedBy(span), named: 1 });
    }
    const named = statements.find((s) => s.attributes['db.statement.name']);
    expect(named?.attributes['db.query.text']).toMatch(/\$1/);
    expect(named?.name).toMatch(/^SELECT \S+/);

    // Values travel as parameters: no span carries the person's identifiers or name.
    const attributes = JSON.stringify(spans.map((s) => [s.name, s.attributes, s.events]));
    for (const value of [person.citizenId, person.fullName, person.phone]) expect(attributes).not.toContain(value);
  });

  it('writes the trace and the request ID into the log lines of the gateway and of the subgraphs', async () => {
    lines.length = 0;
    const { traceId, headers } = await person360InTrace('partner-request-0002', 6);
    const requestId = headers['x-request-id'] as string;
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.trace_id === traceId);
    const services = new Set(parsed.map((line) => line.name));
    expect([...services].sort()).toEqual(['hub-cases', 'hub-gateway', 'hub-insurance', 'hub-registry', 'hub-testing', 'hub-vaccination']);
    expect(parsed.find((line) => line.name === 'hub-gateway' && line.msg === 'request completed')).toMatchObject({ reqId: requestId, partnerRequestId: 'partner-request-0002' });
    const completed = parsed.filter((line) => line.name !== 'hub-gateway' && line.msg === 'request completed');
    expect(completed.map((line) => line.name).sort()).toEqual(['hub-cases', 'hub-insurance', 'hub-registry', 'hub-testing', 'hub-vaccination']);
    expect(completed.every((line) => line.requestId === requestId)).toBe(true);
  });

  it('names every request with an ID of its own, whatever the partner sends', async () => {
    const client = hub.client();
    const ids = await Promise.all(['', 'short', 'has spaces in it', 'x'.repeat(129), 'partner-request-0003', 'partner-request-0003'].map(async (given) => {
      const response = await request(`${client.url}/graphql`, {
        method: 'POST',
        headers: { ...client.headers, 'content-type': 'application/json', ...(given ? { 'x-request-id': given } : {}) },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      await response.body.text();
      return response.headers['x-request-id'] as string;
    }));
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
