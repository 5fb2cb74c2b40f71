import { CliErrors } from '../src/cli/cli-errors';
import type { StreamListing } from '../src/cli/list';
import type { RunReport } from '../src/cli/run';
import { startCliHarness, type CliHarness } from './cli-harness';

const SIZE = 500;
const FROM = 301;
let h: CliHarness;

beforeAll(async () => {
  h = await startCliHarness({ size: SIZE, pageSize: 100 });
  await h.cli('run', 'registry');
});
afterAll(() => h.close());

test('backfill from a cursor sets it, then re-reads the source from there without writing anyone twice', async () => {
  const { result, lines } = await h.cli('backfill', 'registry', '--from', String(FROM));
  expect(lines[0]).toBe(`Cursor of registry/persons set from ${SIZE + 1} to ${FROM}.`);
  const report = result as RunReport;
  expect(report.runs).toHaveLength(1);
  expect(report.runs[0]).toMatchObject({ status: 'succeeded', cursorFrom: FROM, cursorTo: SIZE + 1, read: SIZE - FROM + 1, pages: 2 });
  expect(await h.storedPersons()).toBe(SIZE);

  const listed = (await h.cli('list')).result as { streams: StreamListing[] };
  expect(listed.streams[0]).toMatchObject({ cursor: SIZE + 1, lastRun: { id: report.runs[0]!.id, read: SIZE - FROM + 1 } });
});

test('a date, a stream the connector lacks or a missing --from are refused before anything changes', async () => {
  await expect(h.cli('backfill', 'registry', '--from', '2021-07-01')).rejects.toMatchObject({ code: CliErrors.BAD_CURSOR });
  await expect(h.cli('backfill', 'registry', '--from', '1', '--stream', 'doses')).rejects.toMatchObject({ code: CliErrors.USAGE });
  await expect(h.cli('backfill', 'registry')).rejects.toMatchObject({ code: CliErrors.USAGE });
  const { rows } = await h.pool.query(`SELECT cursor FROM connectors.stream_state WHERE connector = 'registry'`);
  expect(rows).toEqual([{ cursor: SIZE + 1 }]);
});
