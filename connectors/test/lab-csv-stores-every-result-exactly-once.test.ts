import { createPopulation, writeLabCsvDays, type LabCsvFile } from '@health-hub/simulators';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labCsvConnector } from '../src/lab-csv';
import { expectedCsvResults, ingestedAt, startLabHarness, storedCsvResults } from './lab-harness';
import { runsOf, type SourceHarness } from './source-harness';

const population = createPopulation({ seed: 31, size: 1000 });
let folder: string;
let files: LabCsvFile[];
let h: SourceHarness;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'lab-csv-'));
  files = await writeLabCsvDays({ population, dir: folder });
  // A file the lab is still writing, and a stray file: neither is read.
  await writeFile(join(folder, '.ket-qua-xet-nghiem-2022-07-01.csv.123.tmp'), '\uFEFFma_mau\r\nhalf');
  await writeFile(join(folder, 'notes.txt'), 'not a result file');
  h = await startLabHarness({ connectors: [{ connector: labCsvConnector, config: { folder, pageSize: 100 } }] });
});
afterAll(async () => {
  await h.close();
  await rm(folder, { recursive: true, force: true });
});

test('a full sync stores every row of every daily file once, equal to the lab\'s results', async () => {
  await h.runToEnd('lab-csv');

  const expected = expectedCsvResults(population, () => true);
  const rows = files.reduce((sum, f) => sum + f.rows, 0);
  expect(expected.length).toBe(rows);
  expect(await storedCsvResults(h.pool)).toEqual(expected);
  expect(new Set(expected.map((r) => r.personRef.kind))).toEqual(new Set(['CITIZEN_ID', 'DEMOGRAPHIC']));
  expect(new Set(expected.map((r) => r.method))).toEqual(new Set(['RT_PCR', 'RAPID_ANTIGEN']));
  const [run] = await runsOf(h.pool, 'lab-csv');
  expect(run).toMatchObject({ status: 'succeeded', pages: Math.ceil(rows / 100), read: rows, written: rows, rejected: 0 });
  // The raw row names its file and row.
  const { rows: raw } = await h.pool.query(`SELECT raw FROM testing.test_result WHERE raw->>'file' = $1 ORDER BY (raw->>'row')::int`, [files.find((f) => f.rows > 1)!.path.split('/').pop()]);
  expect(raw.map((r) => r.raw.row)).toEqual(raw.map((_, i) => i + 1));
  const { rows: state } = await h.pool.query(`SELECT cursor FROM connectors.stream_state WHERE connector = 'lab-csv'`);
  expect(state[0].cursor).toEqual({ file: 'ket-qua-xet-nghiem-2022-06-30.csv', row: files[files.length - 1]!.rows });
});

test('a second run reads nothing new and changes nothing', async () => {
  const before = await ingestedAt(h.pool);

  await h.runToEnd('lab-csv');

  expect(await ingestedAt(h.pool)).toEqual(before);
  expect((await runsOf(h.pool, 'lab-csv'))[1]).toMatchObject({ status: 'succeeded', read: 0, written: 0, rejected: 0 });
});

test('a new day\'s file is read by the next run, and only it', async () => {
  const [added] = await writeLabCsvDays({ population, dir: folder, from: '2022-07-01', to: '2022-07-01' });
  await writeFile(added!.path, '\uFEFFma_mau,so_cccd,ho_ten,ngay_sinh,so_dien_thoai,phuong_phap,ket_qua,thoi_gian_lay_mau,thoi_gian_tra_ket_qua,ma_phong_xn,ten_phong_xn,ma_mau_gop\r\n'
    + 'XN-NEW-1,,"Nguyễn Văn ""Tí"", con",1990,0912345678,RT-PCR,Âm tính,01/07/2022 08:05,01/07/2022 20:10,LAB-1,"Phòng XN, số 1",\r\n');

  await h.runToEnd('lab-csv');

  expect((await runsOf(h.pool, 'lab-csv'))[2]).toMatchObject({ status: 'succeeded', read: 1, written: 1, rejected: 0 });
  const { rows } = await h.pool.query(`SELECT person_id, person_ref, sampled_at, lab_name FROM testing.test_result WHERE source_record_id = 'XN-NEW-1'`);
  expect(rows).toEqual([{
    person_id: null,
    person_ref: { kind: 'DEMOGRAPHIC', fullName: 'Nguyễn Văn "Tí", con', birthDate: null, birthYear: 1990, phone: '0912345678' },
    sampled_at: new Date('2022-07-01T01:05:00Z'),
    lab_name: 'Phòng XN, số 1',
  }]);
});
