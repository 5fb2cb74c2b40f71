import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createPopulation,
  csvLine,
  isDuplicated,
  isMalformed,
  LAB_CSV_HEADER,
  type LabCsvFile,
  SimulatorErrors,
  type TestRecord,
  writeLabCsvDays,
} from '../src/index';
import { labRecords } from './lab-records';

const SEED = 23;
const population = createPopulation({ seed: 11, size: 1_500 });
const generated = labRecords(population, 'lab-csv');
const ids = [...generated.keys()];
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lab-csv-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** RFC 4180, written here on its own: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let k = 0; k < text.length; k++) {
    const c = text[k]!;
    if (quoted) {
      if (c === '"' && text[k + 1] === '"') (field += '"'), k++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[k + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), k++;
    else field += c;
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  return rows;
}

async function readDays(files: LabCsvFile[]) {
  const out: Array<{ file: LabCsvFile; rows: string[][] }> = [];
  for (const file of files) {
    const text = await readFile(file.path, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text.slice(1));
    expect(header).toEqual([...LAB_CSV_HEADER]);
    expect(rows).toHaveLength(file.rows);
    out.push({ file, rows });
  }
  return out;
}

// Decoding done here on its own, not with the writer's encoder.
const METHOD: Record<string, TestRecord['method']> = { 'RT-PCR': 'RT_PCR', 'Test nhanh kháng nguyên': 'RAPID_ANTIGEN' };
const RESULT: Record<string, TestRecord['result']> = { 'Dương tính': 'POSITIVE', 'Âm tính': 'NEGATIVE', 'Không xác định': 'INVALID' };
/** "dd/MM/yyyy HH:mm" in UTC+7 → ISO instant. */
const localTime = (s: string) => new Date(Date.parse(`${s.slice(6, 10)}-${s.slice(3, 5)}-${s.slice(0, 2)}T${s.slice(11, 16)}:00+07:00`)).toISOString();
const toMinute = (iso: string) => new Date(Math.floor(Date.parse(iso) / 60_000) * 60_000).toISOString();
const vnDayOf = (iso: string) => new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 10);

describe('the CSV testing lab', () => {
  it('writes every lab-csv result exactly once, in the file of its local sampling day, with its values', async () => {
    const files = await writeLabCsvDays({ population, dir });
    expect(files).toHaveLength(546); // 2021-01-01 .. 2022-06-30
    expect(files[0]!.day).toBe('2021-01-01');
    expect((await readdir(dir)).sort()).toEqual(files.map((f) => `ket-qua-xet-nghiem-${f.day}.csv`).sort());

    const seen = new Set<string>();
    for (const { file, rows } of await readDays(files)) {
      for (const row of rows) {
        expect(row).toHaveLength(12);
        const [ma_mau, so_cccd, ho_ten, ngay_sinh, so_dien_thoai, phuong_phap, ket_qua, lay_mau, tra_ket_qua, ma_phong, ten_phong, ma_mau_gop] = row as [
          string, string, string, string, string, string, string, string, string, string, string, string,
        ];
        const r = generated.get(ma_mau)!;
        expect(seen.has(ma_mau)).toBe(false);
        seen.add(ma_mau);
        expect(vnDayOf(r.sampledAt)).toBe(file.day);
        expect({ method: METHOD[phuong_phap], result: RESULT[ket_qua], sampledAt: localTime(lay_mau), resultedAt: localTime(tra_ket_qua), labId: ma_phong, labName: ten_phong, poolId: ma_mau_gop || null }).toEqual({
          method: r.method,
          result: r.result,
          sampledAt: toMinute(r.sampledAt),
          resultedAt: toMinute(r.resultedAt),
          labId: r.labId,
          labName: r.labName,
          poolId: r.poolId,
        });
        const person = population.person(r.truth.personIndex);
        const ref = r.personRef;
        if (ref.kind === 'CITIZEN_ID') {
          expect([so_cccd, ho_ten, so_dien_thoai]).toEqual([ref.citizenId, person.fullName, person.phone ?? '']);
          expect(ngay_sinh).toBe(person.birthDate === null ? String(person.birthYear) : person.birthDate.split('-').reverse().join('/'));
        } else if (ref.kind === 'DEMOGRAPHIC') {
          expect([so_cccd, ho_ten, so_dien_thoai]).toEqual(['', ref.fullName, ref.phone ?? '']);
          expect(ngay_sinh).toBe(ref.birthDate === null ? String(ref.birthYear) : ref.birthDate.split('-').reverse().join('/'));
        }
      }
    }
    expect(seen.size).toBe(generated.size);
    expect((await readdir(dir)).some((name) => name.endsWith('.tmp'))).toBe(false);
  });

  it('quotes fields so that commas, quotes and line breaks in names survive', () => {
    const names = ['Nguyễn Văn "Tí"', 'Trần, Thị Bình', '"', ',', 'Lê\r\nHoa', ''];
    for (const name of names) {
      const line = csvLine(['XN1', name, 'Âm tính']);
      expect(parseCsv(`${line}\r\n`)).toEqual([['XN1', name, 'Âm tính']]);
    }
    expect(csvLine(['a', 'Trần, Thị Bình', 'b "c"'])).toBe('a,"Trần, Thị Bình","b ""c"""');
  });

  it('malforms exactly the predicted rows and repeats exactly the predicted ones', async () => {
    const files = await writeLabCsvDays({ population, dir, seed: SEED, faults: { malformedRate: 0.1, duplicateRate: 0.1 } });
    const counts = new Map<string, number>();
    let malformed = 0;
    for (const { rows } of await readDays(files)) {
      for (const row of rows) {
        const id = row[0]!;
        counts.set(id, (counts.get(id) ?? 0) + 1);
        const shortRow = row.length === 11;
        const badDate = row[7]?.startsWith('30/02/') === true;
        if (isMalformed(SEED, id, 0.1)) {
          expect(shortRow !== badDate).toBe(true);
          if (counts.get(id) === 1) malformed++;
        } else {
          expect([row.length, badDate]).toEqual([12, false]);
        }
      }
    }
    for (const id of ids) expect([id, counts.get(id)]).toEqual([id, isDuplicated(SEED, id, 0.1) ? 2 : 1]);
    expect(malformed).toBe(ids.filter((id) => isMalformed(SEED, id, 0.1)).length);
    expect(malformed).toBeGreaterThan(0);
  });

  it('writes only the days asked for, header-only when nothing was sampled', async () => {
    const files = await writeLabCsvDays({ population, dir, from: '2021-08-01', to: '2021-08-07' });
    expect(files.map((f) => f.day)).toEqual(['2021-08-01', '2021-08-02', '2021-08-03', '2021-08-04', '2021-08-05', '2021-08-06', '2021-08-07']);
    const inRange = ids.filter((id) => {
      const d = vnDayOf(generated.get(id)!.sampledAt);
      return d >= '2021-08-01' && d <= '2021-08-07';
    });
    expect(files.reduce((n, f) => n + f.rows, 0)).toBe(inRange.length);
    const quiet = await writeLabCsvDays({ population, dir, from: '2020-01-01', to: '2020-01-01' });
    expect(quiet).toEqual([{ day: '2020-01-01', path: join(dir, 'ket-qua-xet-nghiem-2020-01-01.csv'), rows: 0 }]);
    expect(await readFile(quiet[0]!.path, 'utf8')).toBe(`\uFEFF${LAB_CSV_HEADER.join(',')}\r\n`);
  });

  it('refuses bad options naming the field', async () => {
    for (const [options, field] of [
      [{ population, dir, from: '2021-02-30' }, 'from'],
      [{ population, dir, from: '2021-03-02', to: '2021-03-01' }, 'from'],
      [{ population, dir: '' }, 'dir'],
      [{ population, dir, faults: { malformedRate: 2 } }, 'faults.malformedRate'],
      [{ population, dir, faults: { latencyMs: 5 } }, 'faults'],
    ] as const) {
      await expect(writeLabCsvDays(options as never)).rejects.toMatchObject({ code: SimulatorErrors.BAD_OPTIONS, message: expect.stringMatching(new RegExp(`^${field}`)) });
    }
  });
});
