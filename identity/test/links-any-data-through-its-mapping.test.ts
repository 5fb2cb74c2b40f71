import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { IdentityErrors } from '../src/index';
import { isoDate } from '../src/cli/mapping';
import { runLinkage } from '../src/cli/run-linkage';

const dir = mkdtempSync(join(tmpdir(), 'linkage-any-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const pairsOf = (path: string) => parse(readFileSync(path), { columns: true }) as Array<Record<string, string>>;
const best = (pairs: Array<Record<string, string>>, id: string) => pairs.find((p) => p.left_id === id && (p.rank === '1' || p.decision === 'REJECTED'));

const registry = file('registry.csv', `so_cccd,so_cmnd,ho_ten,ngay_sinh,gioi_tinh
001090012345,,Nguyễn Văn An,12/05/1990,Nam
079185001234,023456789,Huỳnh Thị Hoà,01/07/1985,Nữ
`);

describe('the linkage CLI on data of any shape', () => {
  it('routes one column to a field by another column: a CMND in the ID column is read as a CMND, not refused as a short CCCD', async () => {
    const list = file('routed.csv', `ma,loai_giay_to,so_giay_to,ho_ten,ngay_sinh
r1,CCCD,001090012345,Nguyễn Văn An,1990-05-12
r2,CMND,023456789,Huỳnh Thị Hoà,1985-07-01
r3,CCCD,023456789,Huỳnh Thị Hoà,1985-07-01
`);
    const routed = { column: 'so_giay_to' };
    const mapping = file('routed.json', JSON.stringify({
      left: {
        id: 'ma',
        fields: {
          citizenId: { ...routed, when: { column: 'loai_giay_to', is: ['CCCD'] } },
          oldId: { ...routed, when: { column: 'loai_giay_to', is: ['CMND', 'CMT'] } },
          fullName: 'ho_ten',
          birthDate: 'ngay_sinh',
        },
      },
      right: { id: 'so_cccd', fields: { citizenId: 'so_cccd', oldId: 'so_cmnd', fullName: 'ho_ten', birthDate: 'ngay_sinh', sex: 'gioi_tinh' } },
    }));
    const out = join(dir, 'routed-pairs.csv');
    const summary = await runLinkage(['--left', list, '--right', registry, '--mapping', mapping, '--out', out]);
    const pairs = pairsOf(out);
    expect(best(pairs, 'r1')).toMatchObject({ right_id: '001090012345', decision: 'LINKED' });
    expect(best(pairs, 'r2')).toMatchObject({ right_id: '079185001234', decision: 'LINKED' });
    // Without the routing the same 9 digits are a CCCD, and a wrong one: the record is refused.
    expect(best(pairs, 'r3')).toMatchObject({ decision: 'REJECTED', evidence: expect.stringContaining('citizenId=') });
    expect(summary).toMatchObject({ records: 3, linked: 2, rejected: 1 });
  });

  it('reads dates in the format the mapping states', async () => {
    expect(isoDate('19651013', 'yyyyMMdd')).toBe('1965-10-13');
    expect(isoDate('13.10.1965', 'dd.MM.yyyy')).toBe('1965-10-13');
    expect(isoDate('3/7/1965', 'M/d/yyyy')).toBe('1965-03-07');
    // Not in the format: passed on for the normaliser to read or refuse.
    expect(isoDate('1965', 'yyyyMMdd')).toBe('1965');
    const list = file('dates.csv', `ma,ho_ten,dob\nd1,Nguyễn Văn An,19900512\nd2,Nguyễn Văn An,1990051\n`);
    const mapping = file('dates.json', JSON.stringify({
      left: { id: 'ma', fields: { fullName: 'ho_ten', birthDate: { column: 'dob', dateFormat: 'yyyyMMdd' } } },
      right: { id: 'so_cccd', fields: { citizenId: 'so_cccd', fullName: 'ho_ten', birthDate: 'ngay_sinh' } },
    }));
    const out = join(dir, 'date-pairs.csv');
    await runLinkage(['--left', list, '--right', registry, '--mapping', mapping, '--out', out]);
    const pairs = pairsOf(out);
    expect(best(pairs, 'd1')).toMatchObject({ right_id: '001090012345', evidence: expect.stringContaining('birthDate=exact') });
    expect(best(pairs, 'd2')).toMatchObject({ decision: 'REJECTED', evidence: expect.stringContaining('birthDate=') });
  });

  it('refuses a date format without a year, month and day, naming the field', async () => {
    const mapping = file('bad-date.json', JSON.stringify({ id: 'ma', fields: { fullName: 'ho_ten', birthDate: { column: 'dob', dateFormat: 'dd/MM' } } }));
    await expect(runLinkage(['--left', registry, '--mapping', mapping, '--out', join(dir, 'x.csv')])).rejects.toMatchObject({
      code: IdentityErrors.BAD_MAPPING,
      details: { field: 'fields.birthDate.dateFormat' },
    });
  });

  it("links another country's data under a model of generic text fields: case, marks, punctuation and spacing do not matter", async () => {
    const model = file('any-country.json', JSON.stringify({
      name: 'any-country',
      version: 1,
      fields: [{ name: 'name', normaliser: 'text' }, { name: 'city', normaliser: 'text' }, { name: 'born', normaliser: 'birthDate' }],
      blocking: { rules: [{ name: 'born', keys: [{ field: 'born', form: 'full' }] }, { name: 'initial-city', keys: [{ field: 'name', form: 'initial' }, { field: 'city', form: 'plain' }] }] },
      comparisons: [
        { name: 'name', field: 'name', levels: [{ name: 'same-words', test: { kind: 'equal', form: 'sortedTokens' }, m: 0.9, u: 0.001 }, { name: 'similar', test: { kind: 'jaroWinkler', form: 'plain', atLeast: 0.9 }, m: 0.08, u: 0.01 }], otherwise: { m: 0.02, u: 0.989 } },
        { name: 'city', field: 'city', levels: [{ name: 'equal', test: { kind: 'equal', form: 'plain' }, m: 0.9, u: 0.05 }], otherwise: { m: 0.1, u: 0.95 } },
        { name: 'born', field: 'born', levels: [{ name: 'exact', test: { kind: 'equal', form: 'full' }, m: 0.95, u: 0.0003 }], otherwise: { m: 0.05, u: 0.9997 } },
      ],
      thresholds: { autoLink: 12, review: 5 },
    }));
    const people = file('people.csv', `id,name,city,born\np1,"Seán O'Brien",Dún Laoghaire,1970-03-02\np2,Zoë Müller,Köln,1981-11-30\n`);
    const incoming = file('incoming.csv', `ref,full_name,town,dob\ni1,"O'BRIEN,  SEAN",dun laoghaire,02.03.1970\ni2,Muller Zoe,KOELN,30.11.1981\ni3,Anna Schmidt,Köln,30.11.1981\n`);
    const mapping = file('any.json', JSON.stringify({
      left: { id: 'ref', fields: { name: 'full_name', city: 'town', born: { column: 'dob', dateFormat: 'dd.MM.yyyy' } } },
      right: { id: 'id', fields: { name: 'name', city: 'city', born: 'born' } },
    }));
    const out = join(dir, 'any-pairs.csv');
    await runLinkage(['--left', incoming, '--right', people, '--mapping', mapping, '--model', model, '--out', out]);
    const pairs = pairsOf(out);
    expect(best(pairs, 'i1')).toMatchObject({ right_id: 'p1', decision: 'LINKED', evidence: expect.stringContaining('name=same-words') });
    // Same words once marks and order are set aside; the city written another way weighs nothing for it.
    expect(best(pairs, 'i2')).toMatchObject({ right_id: 'p2', evidence: expect.stringContaining('name=same-words') });
    expect(pairs.some((p) => p.left_id === 'i3' && p.decision === 'LINKED')).toBe(false);
  });

  it('links a file a batch at a time as it reads it, with the same pairs whatever the batch', async () => {
    const rows = ['ma,ho_ten,ngay_sinh'];
    for (let i = 0; i < 1_200; i++) rows.push(`m${i},${i % 3 === 0 ? 'Nguyễn Văn An' : i % 3 === 1 ? 'Huỳnh Thị Hoà' : 'Trần Tư'},${i % 2 === 0 ? '1990-05-12' : '1985-07-01'}`);
    const list = file('many.csv', rows.join('\n') + '\n');
    const mapping = file('many.json', JSON.stringify({
      left: { id: 'ma', fields: { fullName: 'ho_ten', birthDate: 'ngay_sinh' } },
      right: { id: 'so_cccd', fields: { citizenId: 'so_cccd', fullName: 'ho_ten', birthDate: 'ngay_sinh' } },
    }));
    const runs = [];
    for (const batch of ['7', '5000']) {
      const out = join(dir, `many-${batch}.csv`);
      runs.push({ summary: await runLinkage(['--left', list, '--right', registry, '--mapping', mapping, '--out', out, '--batch', batch]), text: readFileSync(out, 'utf8') });
    }
    expect(runs[0]!.summary.records).toBe(1_200);
    expect(runs[0]!.summary).toEqual(runs[1]!.summary);
    expect(runs[0]!.text).toBe(runs[1]!.text);
  });

  it('refuses an output it cannot write before reading anything, and leaves no half-written file when a run fails', async () => {
    const mapping = file('plain.json', JSON.stringify({ id: 'so_cccd', fields: { fullName: 'ho_ten', birthDate: 'ngay_sinh' } }));
    await expect(runLinkage(['--left', registry, '--mapping', mapping, '--out', join(dir, 'no-such-dir', 'out.csv')])).rejects.toMatchObject({
      code: IdentityErrors.BAD_OPTIONS,
      details: { field: 'out' },
    });
    const list = file('no-column.csv', 'ma,ho_ten\nx1,Nguyễn Văn An\n');
    const out = join(dir, 'failed.csv');
    await expect(runLinkage(['--left', list, '--right', registry, '--mapping', file('needs-dob.json', JSON.stringify({
      left: { id: 'ma', fields: { fullName: 'ho_ten', birthDate: 'ngay_sinh' } },
      right: { id: 'so_cccd', fields: { fullName: 'ho_ten', birthDate: 'ngay_sinh' } },
    })), '--out', out])).rejects.toMatchObject({ code: IdentityErrors.BAD_MAPPING, details: { column: 'ngay_sinh' } });
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.partial`)).toBe(false);
  });
});
