import { HubError } from '@health-hub/subgraph-kit';
import { AVAILABLE_CONNECTORS, startConnectorRuntime } from '../../src';
import { workerOptionsFromEnv } from '../../src/worker/worker-options';
import { startCase, subjectEnv, type ConformanceCase } from './harness';
import { SUBJECTS, type CaseName, type ConformanceSubject } from './subjects';

/**
 * The conformance suite: every connector of AVAILABLE_CONNECTORS against its simulator, through
 * the runtime on real PostgreSQL and Redis, configured from the environment as a worker is.
 */
test('every subject is an available connector', () => {
  for (const s of SUBJECTS) expect(Object.keys(AVAILABLE_CONNECTORS)).toContain(s.name);
});
// Listed in every run until its subject is added to SUBJECTS.
for (const name of Object.keys(AVAILABLE_CONNECTORS).filter((n) => !SUBJECTS.some((s) => s.name === n))) {
  test.todo(`the ${name} connector has a conformance subject`);
}

async function within(started: Promise<ConformanceCase>, work: (c: ConformanceCase) => Promise<void>): Promise<void> {
  const c = await started;
  try {
    await work(c);
  } finally {
    await c.close();
  }
}

async function codeOf(work: () => unknown): Promise<{ code: string; details: Record<string, unknown> }> {
  try {
    await work();
  } catch (error) {
    if (error instanceof HubError) return { code: error.code, details: error.details };
    throw error;
  }
  throw new Error('expected a HubError');
}

/** `test`, or `test.skip` with the subject's reason in the name when the case does not apply to it. */
function caseOf(subject: ConformanceSubject, name: CaseName): (title: string, fn: () => Promise<void>) => void {
  const why = subject.notApplicable?.[name];
  return why === undefined ? test : (title, fn) => test.skip(`${title} (not applicable: ${why})`, fn);
}

/** A variable's name as AVAILABLE_CONNECTORS lists it (`NAME (note)`). */
const variableOf = (listed: string) => listed.split(' ')[0]!;

/** The retried runs end succeeded, each going on from the cursor the one before saved, with only the given codes failing. */
async function expectRetriedToCompletion(c: ConformanceCase, codes: string[]): Promise<void> {
  const runs = await c.runs();
  const failed = runs.filter((r) => r.status === 'failed');
  expect(failed.length).toBeGreaterThan(0);
  for (const r of failed) expect(codes).toContain(r.errorCode);
  for (let i = 1; i < runs.length; i++) expect(runs[i]!.cursorFrom).toEqual(runs[i - 1]!.cursorTo);
  expect(runs[runs.length - 1]!.status).toBe('succeeded');
}

describe.each(SUBJECTS)('the $name connector', (subject) => {
  test('a full sync stores exactly what the source holds, and a re-run changes nothing', () =>
    within(startCase(subject), async (c) => {
      await c.runToEnd();
      const expected = c.source.expected();
      expect(expected.length).toBeGreaterThan(0);
      expect(await subject.stored(c.pool)).toEqual(expected);
      const snapshot = `SELECT ${subject.table.key} AS key, ingested_at FROM ${subject.table.name} ORDER BY 1`;
      const before = (await c.pool.query(snapshot)).rows;

      await c.runToEnd();

      expect((await c.pool.query(snapshot)).rows).toEqual(before);
      expect(await subject.stored(c.pool)).toEqual(expected);
      expect((await c.runs()).map((r) => [r.status, r.rejected])).toEqual([['succeeded', 0], ['succeeded', 0]]);
    }));

  test('a run stopped mid-way resumes from its checkpoint in the next runtime, nothing lost or written twice', () =>
    within(startCase(subject, { faults: { latencyMs: 30 } }), async (c) => {
      const jobId = await c.runtime.runNow(subject.name);
      while (((await c.runs())[0]?.pages ?? 0) < 2) await new Promise((r) => setTimeout(r, 10));
      await c.runtime.close();
      const [stopped] = await c.runs();
      expect(stopped!.status).toBe('interrupted');

      const next = await c.restart();
      await next.waitForRun(subject.name, jobId);

      const runs = await c.runs();
      expect(runs.map((r) => r.status)).toEqual(['interrupted', 'succeeded']);
      expect(runs[1]).toMatchObject({ jobId, cursorFrom: stopped!.cursorTo });
      const expected = c.source.expected();
      expect(runs[0]!.written + runs[1]!.written).toBe(c.source.writes?.() ?? expected.length);
      expect(await subject.stored(c.pool)).toEqual(expected);
    }));

  caseOf(subject, 'source-faults')('5xx answers and truncated bodies are retried from the saved cursor until the sync is complete', () =>
    within(startCase(subject, { faults: { errorRate: 0.3, truncateRate: 0.1 }, runtime: { attempts: 60 } }), async (c) => {
      await c.runToEnd();
      await expectRetriedToCompletion(c, ['HUB_CONNECTOR_SOURCE_UNAVAILABLE', 'HUB_CONNECTOR_BAD_RESPONSE']);
      expect(await subject.stored(c.pool)).toEqual(c.source.expected());
    }));

  caseOf(subject, 'timeouts')('requests that never answer time out (requestTimeoutMs) and are retried: every record is stored exactly once', () =>
    within(startCase(subject, { faults: { timeoutRate: 0.1 }, config: { requestTimeoutMs: 100 }, runtime: { attempts: 60 } }), async (c) => {
      await c.runToEnd();
      await expectRetriedToCompletion(c, ['HUB_CONNECTOR_SOURCE_UNAVAILABLE']);
      const expected = c.source.expected();
      expect(await subject.stored(c.pool)).toEqual(expected);
      expect((await c.pool.query(`SELECT count(*)::int AS n FROM ${subject.table.name}`)).rows[0].n).toBe(expected.length);
    }));

  caseOf(subject, 'duplicates-and-updates')('a record served twice is stored once, and of two versions the latest wins', () =>
    within(startCase(subject, { faults: { duplicateRate: 0.1, updateRate: 0.15, outOfOrder: true } }), async (c) => {
      await c.runToEnd();
      const expected = c.source.expected();
      // The source served more records than it holds: the repeats and the newer versions.
      const [run] = await c.runs();
      expect(run).toMatchObject({ status: 'succeeded', rejected: 0 });
      expect(run!.read).toBeGreaterThan(expected.length);
      expect(await subject.stored(c.pool)).toEqual(expected);
    }));

  test('a malformed record is kept in the rejected table with its reason, and the rest are stored', () =>
    within(startCase(subject, { faults: { malformedRate: 0.05 } }), async (c) => {
      await c.runToEnd();
      const { rows } = await c.pool.query(`SELECT raw, reason, field FROM connectors.rejected_record WHERE connector = $1`, [subject.name]);
      const malformed = c.source.malformedKeys();
      expect(malformed.length).toBeGreaterThan(0);
      expect(rows.map((r) => subject.rawKey(r.raw)).sort()).toEqual([...malformed].sort());
      for (const r of rows) {
        expect(r.field).toEqual(expect.any(String));
        expect(r.reason).toEqual(expect.stringContaining(r.reason.startsWith('HUB_') ? ':' : `"${r.field}"`));
      }
      const [run] = await c.runs();
      expect(run).toMatchObject({ status: 'succeeded', rejected: malformed.length });
      expect(await subject.stored(c.pool)).toEqual(c.source.expected());
    }));

  caseOf(subject, 'rate-limit')('429 answers are waited out (Retry-After) without using an attempt, and the sync completes', () =>
    within(startCase(subject, { rateLimitPerSecond: subject.rateLimitPerSecond, runtime: { attempts: 1 } }), async (c) => {
      await c.runToEnd();
      const runs = await c.runs();
      const waits = runs.filter((r) => r.status === 'interrupted');
      expect(waits.length).toBeGreaterThan(0);
      for (const r of waits) expect(r.errorCode).toBe('HUB_CONNECTOR_RATE_LIMITED');
      expect(runs[runs.length - 1]!.status).toBe('succeeded');
      expect(await subject.stored(c.pool)).toEqual(c.source.expected());
    }));

  test('a source that cannot be reached fails the run, after its attempts, with a coded error', () =>
    within(startCase(subject, { url: subject.unreachable.url, runtime: { attempts: 2 } }), async (c) => {
      await expect(c.runToEnd()).rejects.toThrow();
      const runs = await c.runs();
      expect(runs.map((r) => [r.status, r.errorCode])).toEqual([
        ['failed', subject.unreachable.code],
        ['failed', subject.unreachable.code],
      ]);
      expect(await subject.stored(c.pool)).toEqual([]);
    }));

  const env = subjectEnv(subject, 'http://127.0.0.1:1', { DATABASE_URL: 'postgres://unused', REDIS_URL: 'redis://unused' });
  const variables = AVAILABLE_CONNECTORS[subject.name]!.env;

  caseOf(subject, 'base-url')('a base URL that is not a URL is refused before anything starts, naming baseUrl', async () => {
    expect(await codeOf(() => startConnectorRuntime(workerOptionsFromEnv({ ...env, [variableOf(variables[0]!)]: 'not a url' })))).toMatchObject({
      code: 'HUB_CONNECTOR_BAD_CONFIG',
      details: { field: 'baseUrl' },
    });
  });

  test('a bad config is refused before anything starts, with a coded error naming the field or variable', async () => {
    if (subject.badValue) {
      const { variable, value, field } = subject.badValue;
      expect(await codeOf(() => startConnectorRuntime(workerOptionsFromEnv({ ...env, [variable]: value })))).toMatchObject({
        code: 'HUB_CONNECTOR_BAD_CONFIG',
        details: { field },
      });
    }
    const needed = variables.filter((v) => !v.endsWith('(optional)')).map(variableOf);
    expect(needed.length).toBeGreaterThan(0);
    for (const variable of needed) {
      expect(await codeOf(() => workerOptionsFromEnv({ ...env, [variable]: undefined }))).toMatchObject({
        code: 'HUB_CONNECTOR_CLI_MISSING_ENV',
        details: { variable },
      });
    }
  });
});
