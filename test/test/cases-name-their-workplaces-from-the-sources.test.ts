/**
 * From the sources: the provinces' case-management exports name the employer of a case
 * (`maSoDoanhNghiep`), the workplace-safety platform holds the enterprises; through both
 * connectors and the gateway, each case leads to its workplace and each workplace counts its
 * cases, as the simulators' ground truth says.
 */
import { availableConnector, AVAILABLE_CONNECTORS, startConnectorRuntime, type ConnectorRuntime } from '@health-hub/connectors';
import { startInProcessHub, type InProcessHub } from '@health-hub/hub';
import {
  createPopulation, createWorkplaces, DEFAULT_SIMULATOR_TOKEN, generateEpidemiology, startWorkplaceSafetySimulator, writeCaseManagementFiles,
  type WorkplaceSafetySimulator,
} from '@health-hub/simulators';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { query } from '../src/graphql-client';

const population = createPopulation({ seed: 29, size: 3_000 });
// The platform serves the same enterprises: its default count for this population.
const workplaces = createWorkplaces(population);
const epidemiology = generateEpidemiology({ population, workplaces, from: '2021-08-01', to: '2021-08-02', checkInsPerPersonDay: 0 });

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: InProcessHub;
let platform: WorkplaceSafetySimulator;
let runtime: ConnectorRuntime;
let dir: string;

beforeAll(async () => {
  db = await freshDatabase();
  hub = await startInProcessHub({ databaseUrl: db.url });
  dir = await mkdtemp(join(tmpdir(), 'hub-case-employers-'));
  await writeCaseManagementFiles({ epidemiology, dir, seed: population.seed });
  platform = await startWorkplaceSafetySimulator({ population });
  const env = {
    HUB_CASE_MANAGEMENT_DIR: dir, HUB_CASE_MANAGEMENT_PAGE_SIZE: '200',
    HUB_WORKPLACE_SAFETY_URL: platform.url, HUB_WORKPLACE_SAFETY_TOKEN: DEFAULT_SIMULATOR_TOKEN,
  };
  runtime = await startConnectorRuntime({
    databaseUrl: db.url,
    redisUrl: process.env.HUB_TEST_REDIS_URL!,
    queuePrefix: `t${randomBytes(6).toString('hex')}`,
    logLevel: 'silent',
    schedules: false,
    connectors: ['case-management', 'workplace-safety'].map((name) => {
      const available = availableConnector(AVAILABLE_CONNECTORS, name);
      return { connector: available.connector, config: available.configFromEnv(env) };
    }),
  });
  for (const name of ['case-management', 'workplace-safety']) await runtime.waitForRun(name, await runtime.runNow(name));
}, 180_000);
afterAll(async () => {
  await runtime?.close();
  await platform?.close();
  await hub?.stop();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Each case's employer, as the exports name it (the latest version of each case). */
function employers(): Map<string, string | null> {
  return new Map(epidemiology.cases.map((c) => [c.caseCode, c.employerTaxCode]));
}

describe('cases and their workplaces, from the sources', () => {
  it('leads each case to the workplace its export names, and no further for the others', async () => {
    const truth = employers();
    expect([...truth.values()].filter((t) => t !== null).length).toBeGreaterThan(5);
    expect([...truth.values()].filter((t) => t === null).length).toBeGreaterThan(5);
    const found = new Map<string, string | null>();
    for (let after: string | null = null; ; ) {
      const body = await query(hub.client('ministry'), `query ($after: String) { cases(first: 200, after: $after) {
        edges { node { code workplace { taxCode name } } } pageInfo { hasNextPage endCursor } } }`, { after });
      expect(body.errors).toBeUndefined();
      for (const e of body.data.cases.edges) found.set(e.node.code, e.node.workplace?.taxCode ?? null);
      if (!body.data.cases.pageInfo.hasNextPage) break;
      after = body.data.cases.pageInfo.endCursor;
    }
    expect(found).toEqual(truth);
  });

  it("counts a workplace's confirmed cases as the exports name them", async () => {
    const counts = new Map<string, number>();
    for (const t of employers().values()) if (t) counts.set(t, (counts.get(t) ?? 0) + 1);
    const [busiest, n] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    const body = await query(hub.client('ministry'), `query ($t: String!) { workplace(taxCode: $t) { confirmedCases } }`, { t: busiest });
    expect(body.errors).toBeUndefined();
    expect(body.data.workplace.confirmedCases).toBe(n);
  });
});
