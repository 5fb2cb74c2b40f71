import { isMalformed } from '@health-hub/simulators';
import { runs, startRegistryHarness, storedPersons, type RegistryHarness } from './registry-harness';

const SIZE = 1_000;
const RATE = 0.05;
let h: RegistryHarness;

beforeAll(async () => {
  h = await startRegistryHarness({ size: SIZE, pageSize: 250, faults: { malformedRate: RATE } });
});
afterAll(() => h.close());

test('a malformed entry lands in the rejected table with its reason, and the run goes on', async () => {
  await h.runToEnd();

  const malformed = Array.from({ length: SIZE }, (_, i) => i).filter((i) => isMalformed(h.population.seed, i, RATE));
  expect(malformed.length).toBeGreaterThan(0);
  const { rows } = await h.pool.query(
    `SELECT raw->>'soThuTu' AS seq, source_record_key AS key, reason, field, run_id AS "runId"
       FROM connectors.rejected_record WHERE connector = 'registry' AND stream = 'persons' ORDER BY (raw->>'soThuTu')::int`,
  );
  expect(rows.map((r) => Number(r.seq) - 1)).toEqual(malformed);
  for (const row of rows) {
    expect(['ngaySinh', 'soDinhDanh']).toContain(row.field);
    expect(row.reason).toContain(`"${row.field}"`);
  }
  const [run] = await runs(h.pool);
  expect(run).toMatchObject({ status: 'succeeded', read: SIZE, rejected: malformed.length, written: SIZE - malformed.length });
  expect(rows.every((r) => r.runId === run!.id)).toBe(true);
  expect(await storedPersons(h.pool)).toHaveLength(SIZE - malformed.length);
});

test('re-processing keeps records that still do not map, with their reason', async () => {
  const counts = await h.runtime.reprocessRejected('registry');
  expect(counts.reprocessed).toBe(0);
  expect(counts.stillRejected).toBeGreaterThan(0);
  const { rows } = await h.pool.query(`SELECT count(*)::int AS n FROM connectors.rejected_record WHERE reprocessed_at IS NULL`);
  expect(rows[0].n).toBe(counts.stillRejected);
});
