import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import pg from 'pg';
import { registryConnector, startConnectorRuntime, type ConnectorRuntime } from '@health-hub/connectors';
import { createPartner } from '@health-hub/access';
import { hubClient, startInProcessHub, type HubClient, type InProcessHub } from '@health-hub/hub';
import { createPopulation, DEFAULT_SIMULATOR_TOKEN, isMalformed, startRegistrySimulator, type RegistrySimulator } from '@health-hub/simulators';
import { createPool } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { query } from '../src/graphql-client';

// The connectors' admin API through the gateway, against a real connector worker (the registry
// connector over its simulator), PostgreSQL and Redis.
const SIZE = 120;
const MALFORMED_RATE = 0.05;
// Short enough that the schedule ticks several times during the test.
const EVERY_MS = 700;

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: InProcessHub;
let simulator: RegistrySimulator;
let runtime: ConnectorRuntime;
let queue: Queue;
let client: pg.Client;
const population = createPopulation({ seed: 7, size: SIZE });
const queuePrefix = `t${randomBytes(6).toString('hex')}`;

async function admin(who: HubClient | null, method: 'GET' | 'POST', path: string, body?: unknown) {
  const headers: Record<string, string> = who ? { ...who.headers } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${hub.gatewayUrl}/admin/connectors${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
}

const operator = () => hub.client('operator');
const runsOfRegistry = async () => (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM connectors.run WHERE connector = 'registry'`)).rows[0]!.n;

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, limitMs = 30_000): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`Still waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Posts an action, again while a scheduled run holds the connector (HUB_CONNECTOR_BUSY), as an operator would. */
async function postWhenIdle(path: string, body?: unknown) {
  return until(`${path} to be taken`, async () => {
    const answer = await admin(operator(), 'POST', path, body);
    return answer.body.errors?.[0]?.extensions?.code === 'HUB_CONNECTOR_BUSY' ? false : answer;
  });
}

beforeAll(async () => {
  db = await freshDatabase();
  const redisUrl = process.env.HUB_TEST_REDIS_URL!;
  simulator = await startRegistrySimulator({ population, faults: { malformedRate: MALFORMED_RATE } });
  hub = await startInProcessHub({ databaseUrl: db.url, connectorAdmin: { redisUrl, queuePrefix, connectors: ['registry'], boardUrl: 'http://127.0.0.1:4010' } });
  runtime = await startConnectorRuntime({
    databaseUrl: db.url, redisUrl, queuePrefix, logLevel: 'silent', backoffMs: 5, maxBackoffMs: 40,
    connectors: [{ connector: { ...registryConnector, schedule: { everyMs: EVERY_MS } }, config: { baseUrl: simulator.url, token: DEFAULT_SIMULATOR_TOKEN, pageSize: 50 } }],
  });
  queue = new Queue('registry', { connection: { url: redisUrl, maxRetriesPerRequest: null }, prefix: queuePrefix });
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await queue?.close();
  await runtime?.close();
  await hub?.stop();
  await simulator?.close();
  await db?.drop();
});

test('an operator sees each connector\'s health, last success, lag, pages, records and rejected records with their reasons', async () => {
  const run = await postWhenIdle('/registry/run');
  expect(run.status).toBe(200);
  await runtime.waitForRun('registry', run.body.jobId);

  const { status, body } = await admin(operator(), 'GET', '');
  expect(status).toBe(200);
  expect(body.board).toBe('http://127.0.0.1:4010');
  expect(body.connectors.map((c: { name: string }) => c.name)).toEqual(['registry']);
  const [registry] = body.connectors;
  // The declared schedule (this test's worker runs it more often).
  expect(registry).toMatchObject({ name: 'registry', paused: false, schedule: { everyMs: registryConnector.schedule.everyMs } });
  expect(['ok', 'running']).toContain(registry.health);
  const [persons] = registry.streams;
  const malformed = Array.from({ length: SIZE }, (_, i) => i).filter((i) => isMalformed(population.seed, i, MALFORMED_RATE));
  expect(malformed.length).toBeGreaterThan(0);
  expect(persons).toMatchObject({ stream: 'persons', paused: false, pendingRejected: malformed.length, lastSuccessAt: expect.any(String), lagMs: expect.any(Number), newestChangeAt: expect.any(String) });
  // Every record was read by the first run (this one, or a scheduled one before it).
  const { rows } = await client.query<{ read: number; pages: number }>(`SELECT sum(read)::int AS read, sum(pages)::int AS pages FROM connectors.run WHERE connector = 'registry' AND status = 'succeeded'`);
  expect(rows[0]!.read).toBeGreaterThanOrEqual(SIZE);

  const rejected = await admin(operator(), 'GET', '/registry/rejected?limit=500');
  expect(rejected.status).toBe(200);
  expect(rejected.body.pending).toBe(malformed.length);
  expect(rejected.body.rows).toHaveLength(malformed.length);
  for (const row of rejected.body.rows) {
    expect(['ngaySinh', 'soDinhDanh']).toContain(row.field);
    expect(row.reason).toContain(`"${row.field}"`);
    // The raw payload (a person's registry entry) is not sent.
    expect(row).not.toHaveProperty('raw');
  }
  expect((await admin(operator(), 'GET', '/nobody/rejected')).body.errors[0].extensions.code).toBe('HUB_CONNECTOR_UNKNOWN');
  expect((await admin(operator(), 'GET', '/registry/rejected?limit=0')).status).toBe(400);
});

test('a paused connector does not run on its schedule, and runs again once resumed', async () => {
  const paused = await admin(operator(), 'POST', '/registry/pause');
  expect(paused).toMatchObject({ status: 200, body: { connector: 'registry', paused: true } });
  // A run in progress stops after its page; then nothing runs.
  await until('the active run to stop', async () => (await queue.getActiveCount()) === 0);
  const before = await runsOfRegistry();
  // The schedule keeps ticking: its runs wait in the paused queue, two ticks' worth at least.
  await until('a scheduled run to wait in the paused queue', async () => {
    const counts = await queue.getJobCounts('waiting', 'prioritized');
    return (counts.waiting ?? 0) + (counts.prioritized ?? 0) > 0;
  });
  await new Promise((r) => setTimeout(r, 2 * EVERY_MS));
  expect(await runsOfRegistry()).toBe(before);
  const overview = await admin(operator(), 'GET', '');
  expect(overview.body.connectors[0]).toMatchObject({ paused: true, health: 'paused' });
  expect(overview.body.connectors[0].streams[0].paused).toBe(true);

  // Run now and backfill are refused while paused: nothing is queued.
  const refused = await admin(operator(), 'POST', '/registry/run');
  expect(refused.status).toBe(409);
  expect(refused.body.errors[0].extensions.code).toBe('HUB_CONNECTOR_PAUSED');
  expect(await runsOfRegistry()).toBe(before);

  const resumed = await admin(operator(), 'POST', '/registry/resume');
  expect(resumed).toMatchObject({ status: 200, body: { connector: 'registry', paused: false } });
  await until('a run after resume', async () => (await runsOfRegistry()) > before);
  expect((await admin(operator(), 'GET', '')).body.connectors[0].paused).toBe(false);
});

test('run now and backfill queue a run that a worker takes; a backfill reads the source again from its cursor', async () => {
  const run = await postWhenIdle('/registry/run');
  expect(run.status).toBe(200);
  expect(typeof run.body.jobId).toBe('string');
  await runtime.waitForRun('registry', run.body.jobId);
  const ofRun = await client.query(`SELECT status FROM connectors.run WHERE connector = 'registry' AND job_id = $1`, [run.body.jobId]);
  expect(ofRun.rows.map((r) => r.status)).toContain('succeeded');

  const backfill = await postWhenIdle('/registry/backfill', { from: '1' });
  expect(backfill.status).toBe(200);
  expect(backfill.body.cursors).toEqual([expect.objectContaining({ stream: 'persons', to: 1 })]);
  await runtime.waitForRun('registry', backfill.body.jobId);
  const ofBackfill = await client.query<{ cursorFrom: unknown; read: number }>(
    `SELECT cursor_from AS "cursorFrom", read FROM connectors.run WHERE connector = 'registry' AND job_id = $1 AND status = 'succeeded'`, [backfill.body.jobId],
  );
  // Read from the start again: every entry of the feed.
  expect(ofBackfill.rows[0]).toMatchObject({ cursorFrom: 1, read: SIZE });

  const bad = await admin(operator(), 'POST', '/registry/backfill', { stream: 'persons' });
  expect(bad.status).toBe(400);
  expect(bad.body.errors[0].extensions.code).toBe('HUB_CONNECTOR_CLI_USAGE');
  const badDate = await admin(operator(), 'POST', '/registry/backfill', { from: '2021-08-01' });
  expect(badDate.body.errors[0].extensions.code).toBe('HUB_CONNECTOR_BAD_CURSOR');
});

test('a partner without connectors:operate is refused every route, and changes nothing', async () => {
  for (const role of ['ministry', 'steward', 'auditor'] as const) {
    const overview = await admin(hub.client(role), 'GET', '');
    expect(overview.status).toBe(403);
    expect(overview.body.errors[0].extensions.code).toBe('HUB_GATEWAY_SCOPE_REQUIRED');
    const pause = await admin(hub.client(role), 'POST', '/registry/pause');
    expect(pause.status).toBe(403);
    expect((await admin(hub.client(role), 'GET', '/registry/rejected')).status).toBe(403);
  }
  expect((await admin(null, 'POST', '/registry/pause')).status).toBe(401);
  // A purpose the operator is not allowed is refused before anything runs.
  expect((await admin(hub.client('operator', 'epidemic-prevention'), 'POST', '/registry/pause')).status).toBe(403);
  // A partner granted the scope, stating a purpose other than operations, is refused too.
  const pool = createPool({ databaseUrl: db.url, applicationName: 'admin-api-test', max: 1 });
  try {
    const { apiKey } = await createPartner(pool, { id: 'ministry-with-operate', name: 'Ministry granted operate', role: 'ministry', grant: ['connectors:operate'] });
    for (const [method, path] of [['GET', ''], ['POST', '/registry/pause']] as const) {
      const answer = await admin(hubClient(hub.gatewayUrl, apiKey, 'ministry', 'epidemic-prevention'), method, path);
      expect(answer.status).toBe(403);
      expect(answer.body.errors[0].extensions.code).toBe('HUB_GATEWAY_PURPOSE_NOT_ALLOWED');
    }
  } finally {
    await pool.end();
  }
  expect((await admin(operator(), 'GET', '')).body.connectors[0].paused).toBe(false);
});

test('every action, and every refused try, leaves an entry in the audit chain', async () => {
  await hub.subgraphs.audit.app.auditDrain!();
  const partnerOf = async (role: string) => (await client.query<{ id: string }>('SELECT id FROM access.partner WHERE role = $1', [role])).rows[0]!.id;
  const trail = async (partnerId: string) => (await query(hub.client('auditor'), 'query ($p: String!) { auditTrailOfPartner(partnerId: $p, first: 1000) { operation purpose fields } }', { p: partnerId })).data.auditTrailOfPartner as Array<{ operation: string; purpose: string; fields: string[] }>;
  const mine = await trail(await partnerOf('operator'));
  const operations = new Set(mine.map((e) => e.operation));
  for (const op of ['pauseConnector', 'resumeConnector', 'runConnector', 'backfillConnector']) {
    expect(operations).toContain(`${op} (intent)`);
    expect(operations).toContain(`${op} (action)`);
  }
  expect(mine.every((e) => e.purpose === 'operations' && e.fields.includes('connector:registry'))).toBe(true);
  // The run refused while paused is kept with its code.
  expect(mine.some((e) => e.operation === 'runConnector (action)' && e.fields.includes('code:HUB_CONNECTOR_PAUSED'))).toBe(true);
  expect(mine.some((e) => e.operation === 'connectorRejected')).toBe(true);
  // Reading the overview is audited too, naming the connectors shown.
  expect(mine.some((e) => e.operation === 'connectors' && e.fields.includes('Admin.connectors'))).toBe(true);
  const ministry = await trail(await partnerOf('ministry'));
  expect(ministry.some((e) => e.operation === 'pauseConnector (action)' && e.fields.includes('Admin.pauseConnector (refused)'))).toBe(true);
  const verified = await query(hub.client('auditor'), '{ verifyAuditLog { ok } }');
  expect(verified.data.verifyAuditLog.ok).toBe(true);
});
