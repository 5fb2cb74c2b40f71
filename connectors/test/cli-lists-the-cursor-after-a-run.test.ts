import { CliErrors } from '../src/cli/cli-errors';
import type { StreamListing } from '../src/cli/list';
import type { RunReport } from '../src/cli/run';
import { runCli } from '../src/cli/cli';
import { startCliHarness, type CliHarness } from './cli-harness';

const SIZE = 600;
const PAGE = 100;
let h: CliHarness;

beforeAll(async () => {
  h = await startCliHarness({ size: SIZE, pageSize: PAGE });
});
afterAll(() => h.close());

test('list shows a connector that never ran', async () => {
  const { result, lines } = await h.cli('list');
  const { streams } = result as { streams: StreamListing[] };
  expect(streams.map((s) => `${s.connector}/${s.stream}`)).toEqual(['registry/persons', 'vaccination/doses', 'insurance/cards', 'lab-fhir/observations', 'lab-csv/results', 'citizen-app/events', 'case-management/exports', 'household-contacts/f1-households', 'household-contacts/household-arrivals', 'person-links/references', 'workplace-safety/records']);
  expect(streams[0]).toEqual({ connector: 'registry', stream: 'persons', paused: false, cursor: undefined, lastRun: null, pendingRejected: 0 });
  expect(lines[0]).toMatch(/^CONNECTOR\s+STREAM\s+STATE\s+CURSOR\s+LAST RUN/);
  expect(lines[1]).toMatch(/^registry\s+persons\s+active\s+-\s+never run/);
  expect(lines).toContain('queue registry: 0 waiting, 0 active, 0 delayed, 0 failed');
});

test('run shows each committed page until the run ends, and stores every person', async () => {
  const { result, lines } = await h.cli('run', 'registry');
  const report = result as RunReport;
  expect(lines[0]).toBe(`Run of registry queued as job ${report.jobId}.`);
  // Polling sees some pages, always the last one, and each line once.
  const final = `  persons #${report.runs[0]!.id} succeeded: page ${SIZE / PAGE}, read ${SIZE}, written ${SIZE}, rejected 0, cursor ${SIZE + 1}`;
  expect(lines).toContain(final);
  expect(new Set(lines).size).toBe(lines.length);
  expect(lines[lines.length - 1]).toBe(`Run of registry done: read ${SIZE}, written ${SIZE}, rejected 0.`);
  expect(report.runs).toHaveLength(1);
  expect(report.runs[0]).toMatchObject({ status: 'succeeded', pages: SIZE / PAGE, read: SIZE, written: SIZE, cursorFrom: 1, cursorTo: SIZE + 1 });
  expect(await h.storedPersons()).toBe(SIZE);
});

test('list then shows the cursor and the last run', async () => {
  const { result, lines } = await h.cli('list');
  const [stream] = (result as { streams: StreamListing[] }).streams;
  expect(stream).toMatchObject({ paused: false, cursor: SIZE + 1, pendingRejected: 0, lastRun: { status: 'succeeded', pages: SIZE / PAGE, read: SIZE, written: SIZE, rejected: 0 } });
  expect(lines[1]).toMatch(new RegExp(`^registry\\s+persons\\s+active\\s+${SIZE + 1}\\s+#\\d+ succeeded\\s+\\S+Z\\s+${SIZE / PAGE}\\s+${SIZE}\\s+${SIZE}\\s+0\\s+0$`));
});

test('a missing DATABASE_URL or REDIS_URL, an unknown command or connector are coded errors', async () => {
  const { DATABASE_URL: _db, ...noDatabase } = h.env;
  await expect(runCli(['list'], { env: noDatabase, out: () => {} })).rejects.toMatchObject({ code: CliErrors.MISSING_ENV, details: { variable: 'DATABASE_URL' } });
  const { REDIS_URL: _redis, ...noRedis } = h.env;
  await expect(runCli(['list'], { env: noRedis, out: () => {} })).rejects.toMatchObject({ code: CliErrors.MISSING_ENV, details: { variable: 'REDIS_URL' } });
  const { HUB_REGISTRY_TOKEN: _token, ...noToken } = h.env;
  await expect(runCli(['run', 'registry'], { env: noToken, out: () => {} })).rejects.toMatchObject({ code: CliErrors.MISSING_ENV, details: { variable: 'HUB_REGISTRY_TOKEN' } });
  await expect(h.cli('frobnicate')).rejects.toMatchObject({ code: CliErrors.USAGE });
  await expect(h.cli('run')).rejects.toMatchObject({ code: CliErrors.USAGE });
  await expect(h.cli('run', 'nope')).rejects.toMatchObject({ code: 'HUB_CONNECTOR_UNKNOWN' });
});
