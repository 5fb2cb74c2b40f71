import { createPopulation, isDuplicated, isMalformed, writeLabCsvDays, type LabCsvFile } from '@health-hub/simulators';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { labCsvConnector } from '../src/lab-csv';
import { saveCursor } from '../src/runtime/state-store';
import { committedPages, expectedCsvResults, labRecords, restartRuntime, startLabHarness, storedCsvResults } from './lab-harness';
import { rejectedOf, runsOf } from './source-harness';

const population = createPopulation({ seed: 32, size: 1000 });
const FAULTS = { malformedRate: 0.05, duplicateRate: 0.1 };
const ids = [...labRecords(population, 'lab-csv').keys()];
const malformed = new Set(ids.filter((id) => isMalformed(population.seed, id, FAULTS.malformedRate)));
let folder: string;
let files: LabCsvFile[];
let totalRows: number;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'lab-csv-'));
  files = await writeLabCsvDays({ population, dir: folder, faults: FAULTS });
  totalRows = files.reduce((sum, f) => sum + f.rows, 0);
});
afterAll(() => rm(folder, { recursive: true, force: true }));

const connectors = (pageSize: number) => [{ connector: labCsvConnector, config: { folder, pageSize } }];

test('short rows and impossible dates are rejected with their reason, repeated rows are stored once, the rest equal the lab\'s results', async () => {
  const h = await startLabHarness({ connectors: connectors(100) });
  try {
    await h.runToEnd('lab-csv');
    expect(await storedCsvResults(h.pool)).toEqual(expectedCsvResults(population, (id) => !malformed.has(id)));

    expect(malformed.size).toBeGreaterThan(0);
    const rejected = await rejectedOf(h.pool, 'lab-csv');
    // A malformed row that the lab also repeated is rejected each time it is read.
    const times = (id: string) => (isDuplicated(population.seed, id, FAULTS.duplicateRate) ? 2 : 1);
    expect(rejected).toHaveLength([...malformed].reduce((sum, id) => sum + times(id), 0));
    expect(new Set(rejected.map((r) => r.key))).toEqual(malformed);
    expect(new Set(rejected.map((r) => r.field))).toEqual(new Set(['thoi_gian_lay_mau', 'ma_mau_gop']));
    for (const r of rejected) {
      const raw = r.raw as { file: string; row: number; columns: number; fields: Record<string, string> };
      expect(raw.file).toMatch(/^ket-qua-xet-nghiem-\d{4}-\d{2}-\d{2}\.csv$/);
      if (r.field === 'ma_mau_gop') {
        expect(raw.columns).toBe(11);
        expect(r.reason).toContain('11 columns');
      } else {
        expect(raw.fields.thoi_gian_lay_mau).toMatch(/^30\/02\//);
        expect(r.reason).toContain('dd/MM/yyyy HH:mm');
      }
    }
    expect(ids.some((id) => !malformed.has(id) && isDuplicated(population.seed, id, FAULTS.duplicateRate))).toBe(true);
    expect((await runsOf(h.pool, 'lab-csv'))[0]).toMatchObject({ status: 'succeeded', read: totalRows, rejected: rejected.length });
  } finally {
    await h.close();
  }
});

test('a cursor in the middle of a file resumes at its next row', async () => {
  const h = await startLabHarness({ connectors: connectors(50) });
  try {
    // Resume after the second row of the first day with at least three rows.
    const k = files.findIndex((f) => f.rows >= 3);
    const name = basename(files[k]!.path);
    await saveCursor(h.pool, 'lab-csv', 'results', { file: name, row: 2 });

    await h.runToEnd('lab-csv');

    const { rows } = await h.pool.query(`SELECT raw->>'file' AS file, min((raw->>'row')::int) AS first FROM testing.test_result GROUP BY 1 ORDER BY 1 LIMIT 1`);
    expect(rows[0]).toEqual({ file: name, first: 3 });
    const unread = files[k]!.rows - 2 + files.slice(k + 1).reduce((sum, f) => sum + f.rows, 0);
    expect((await runsOf(h.pool, 'lab-csv'))[0]).toMatchObject({ status: 'succeeded', read: unread });
  } finally {
    await h.close();
  }
});

test('a run stopped in the middle of a file resumes in the next runtime, with nothing lost or read twice', async () => {
  const h = await startLabHarness({ connectors: connectors(1) });
  try {
    const jobId = await h.runtime.runNow('lab-csv');
    while ((await committedPages(h.pool, 'lab-csv')) < 20) await new Promise((r) => setTimeout(r, 10));
    await h.runtime.close();

    const [first] = await runsOf(h.pool, 'lab-csv');
    expect(first!.status).toBe('interrupted');
    expect(first!.read).toBeLessThan(totalRows);

    const next = await restartRuntime(h, connectors(1));
    try {
      await next.waitForRun('lab-csv', jobId);
      const runs = await runsOf(h.pool, 'lab-csv');
      expect(runs[runs.length - 1]).toMatchObject({ jobId, status: 'succeeded' });
      expect(runs.reduce((sum, r) => sum + r.read, 0)).toBe(totalRows);
      expect(await storedCsvResults(h.pool)).toEqual(expectedCsvResults(population, (id) => !malformed.has(id)));
    } finally {
      await next.close();
    }
  } finally {
    await h.close();
  }
});
