import { isMalformed } from '@health-hub/simulators';
import type { RejectedRow } from '../src/cli/history-queries';
import type { StreamListing } from '../src/cli/list';
import { startCliHarness, type CliHarness } from './cli-harness';

const SIZE = 600;
const RATE = 0.05;
let h: CliHarness;
let malformed: number[];

beforeAll(async () => {
  h = await startCliHarness({ size: SIZE, pageSize: 200, faults: { malformedRate: RATE } });
  malformed = Array.from({ length: SIZE }, (_, i) => i).filter((i) => isMalformed(h.population.seed, i, RATE));
  await h.cli('run', 'registry');
});
afterAll(() => h.close());

test('rejected lists the malformed entries, newest first, with their reason and field', async () => {
  expect(malformed.length).toBeGreaterThan(3);
  const { result, lines } = await h.cli('rejected', 'registry', '--limit', '1000', '--raw');
  const { pending, rows } = result as { pending: number; rows: RejectedRow[] };
  expect(pending).toBe(malformed.length);
  const sequences = rows.map((r) => Number((r.raw as { soThuTu: number }).soThuTu) - 1);
  expect([...sequences].sort((a, b) => a - b)).toEqual(malformed);
  expect(rows.map((r) => r.id)).toEqual([...rows.map((r) => r.id)].sort((a, b) => b - a));
  expect(lines[0]).toBe(`${malformed.length} rejected records of registry waiting:`);
  for (const row of rows) {
    expect(['ngaySinh', 'soDinhDanh']).toContain(row.field);
    expect(lines).toContain(`  persons #${row.id} key ${row.sourceRecordKey ?? '-'} field ${row.field}: ${row.reason} (run ${row.runId}, ${row.rejectedAt.toISOString().replace(/\.\d{3}Z$/, 'Z')})`);
    expect(lines).toContain(`    ${JSON.stringify(row.raw)}`);
  }
});

test('--limit shows only the newest; list counts them as pending', async () => {
  const { result, lines } = await h.cli('rejected', 'registry', '--limit', '2');
  expect((result as { rows: RejectedRow[] }).rows).toHaveLength(2);
  expect(lines[0]).toBe(`${malformed.length} rejected records of registry waiting; the newest 2:`);
  const listed = (await h.cli('list')).result as { streams: StreamListing[] };
  expect(listed.streams[0]).toMatchObject({ pendingRejected: malformed.length, lastRun: { rejected: malformed.length } });
});

test('reprocess keeps the ones that still do not map, and they stay listed', async () => {
  const { result, lines } = await h.cli('reprocess', 'registry');
  expect(result).toEqual({ reprocessed: 0, stillRejected: malformed.length });
  expect(lines).toEqual([`Re-processed registry: 0 stored, ${malformed.length} still rejected.`]);
  expect(((await h.cli('rejected', 'registry')).result as { pending: number }).pending).toBe(malformed.length);
});
