import { CliErrors } from '../src/cli/cli-errors';
import type { StreamListing } from '../src/cli/list';
import type { RunReport } from '../src/cli/run';
import { startCliHarness, type CliHarness } from './cli-harness';

const SIZE = 300;
let h: CliHarness;

beforeAll(async () => {
  h = await startCliHarness({ size: SIZE, pageSize: 100 });
});
afterAll(() => h.close());

test('pause, then run: the run is refused and nothing is written', async () => {
  const paused = await h.cli('pause', 'registry');
  expect(paused.lines).toEqual(['registry paused: no run starts until `resume registry`.']);

  await expect(h.cli('run', 'registry')).rejects.toMatchObject({ code: CliErrors.PAUSED });
  await expect(h.cli('backfill', 'registry', '--from', '1')).rejects.toMatchObject({ code: CliErrors.PAUSED });
  expect(await h.storedPersons()).toBe(0);
  const { rows } = await h.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM connectors.run');
  expect(rows[0]!.n).toBe(0);

  const { result, lines } = await h.cli('list');
  expect((result as { streams: StreamListing[] }).streams[0]).toMatchObject({ paused: true, cursor: undefined, lastRun: null });
  expect(lines[1]).toMatch(/^registry\s+persons\s+paused\s+/);
});

test('resume, then run: every person is stored', async () => {
  expect((await h.cli('resume', 'registry')).lines).toEqual(['registry resumed.']);
  const { result } = await h.cli('run', 'registry');
  expect((result as RunReport).runs[0]).toMatchObject({ status: 'succeeded', read: SIZE, written: SIZE });
  expect(await h.storedPersons()).toBe(SIZE);
});
