import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { defaultModel, Matcher, MemoryIndex, normaliseRecord, type NormalisedRecord, type RawRecord } from '../src/index';
import { runLinkage } from '../src/cli/run-linkage';

const dir = mkdtempSync(join(tmpdir(), 'chosen-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

// Two namesakes born in 1990 in Hà Nội. The record gives the second one's citizen ID, and only
// the province and birth year besides the name: the first one, whose registry entry states the
// same province, outweighs the ID holder, whose entry states another.
const registryCsv = `so_cccd,ho_ten,ngay_sinh,tinh
001090012345,Nguyễn Văn An,1990-05-12,01
001090099999,Nguyễn Văn An,1990-11-03,79
`;
const recordCsv = `ma,ho_ten,nam_sinh,tinh,cccd
k1,Nguyễn Văn An,1990,01,001090099999
`;
const mapping = {
  left: { id: 'ma', fields: { fullName: 'ho_ten', birthDate: 'nam_sinh', provinceCode: 'tinh', citizenId: 'cccd' } },
  right: { id: 'so_cccd', fields: { citizenId: 'so_cccd', fullName: 'ho_ten', birthDate: 'ngay_sinh', provinceCode: 'tinh' } },
};

describe('every output names the person the matcher chose', () => {
  it('a namesake outweighs the holder of the record\'s ID: the matcher links the holder, and so does the CLI', async () => {
    const model = defaultModel();
    const index = new MemoryIndex(model);
    const persons: RawRecord[] = [
      { id: '001090012345', citizenId: '001090012345', fullName: 'Nguyễn Văn An', birthDate: '1990-05-12', provinceCode: '01' },
      { id: '001090099999', citizenId: '001090099999', fullName: 'Nguyễn Văn An', birthDate: '1990-11-03', provinceCode: '79' },
    ];
    index.add(persons.map((p) => (normaliseRecord(model, p) as { record: NormalisedRecord }).record));
    const [d] = await new Matcher(model, index).linkRaw([{ id: 'k1', fullName: 'Nguyễn Văn An', birthDate: '1990', provinceCode: '01', citizenId: '001090099999' }]);
    // The premise: the namesake is the heavier candidate, yet the ID holder is chosen.
    expect(d).toMatchObject({ outcome: 'LINKED', method: 'IDENTIFIER', personId: '001090099999' });
    expect(d!.candidates[0]!.personId).toBe('001090012345');

    const out = join(dir, 'pairs.csv');
    await runLinkage(['--left', file('records.csv', recordCsv), '--right', file('registry.csv', registryCsv), '--mapping', file('m.json', JSON.stringify(mapping)), '--out', out]);
    const pairs = parse(readFileSync(out), { columns: true }) as Array<Record<string, string>>;
    expect(pairs.filter((p) => p.decision === 'LINKED')).toEqual([expect.objectContaining({ left_id: 'k1', right_id: '001090099999', rank: '1' })]);
    expect(pairs.find((p) => p.right_id === '001090012345')).toMatchObject({ decision: 'CANDIDATE', rank: '2' });
  });

  it('the chosen person is among the candidates even when more than the kept number outweigh it', async () => {
    const model = defaultModel();
    const index = new MemoryIndex(model);
    // Three namesakes in the province the record names, and the ID holder elsewhere.
    const persons: RawRecord[] = ['001090012345', '001090012346', '001090012347'].map((id, i) => ({ id, citizenId: id, fullName: 'Nguyễn Văn An', birthDate: `1990-0${i + 1}-12`, provinceCode: '01' }));
    persons.push({ id: '001090099999', citizenId: '001090099999', fullName: 'Nguyễn Văn An', birthDate: '1990-11-03', provinceCode: '79' });
    index.add(persons.map((p) => (normaliseRecord(model, p) as { record: NormalisedRecord }).record));
    const [d] = await new Matcher(model, index, { maxCandidates: 2 }).linkRaw([{ id: 'k1', fullName: 'Nguyễn Văn An', birthDate: '1990', provinceCode: '01', citizenId: '001090099999' }]);
    expect(d).toMatchObject({ outcome: 'LINKED', personId: '001090099999' });
    expect(d!.candidates).toHaveLength(2);
    expect(d!.candidates.map((c) => c.personId)).toContain('001090099999');
  });
});
