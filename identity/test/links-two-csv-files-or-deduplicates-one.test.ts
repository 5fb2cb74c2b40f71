import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { IdentityErrors } from '../src/index';
import { runLinkage } from '../src/cli/run-linkage';

const dir = mkdtempSync(join(tmpdir(), 'linkage-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

// A registry extract with Vietnamese column names, and a clinic's list with its own.
const registry = file('registry.csv', `so_cccd,ho,dem,ten,ngay_sinh,gioi_tinh,dien_thoai
001090012345,Nguyễn,Văn,An,12/05/1990,Nam,0326123456
001090054321,Nguyễn,Văn,Bình,12/05/1990,Nam,0326123456
079185001234,Huỳnh,Thị,Hoà,01/07/1985,Nữ,0903000111
`);
const clinic = file('clinic.csv', `ma,ho_ten,ngay_sinh,sdt
k1,NGUYEN VAN AN,1990-05-12,01626123456
k2,Hoàng Thị Hòa,1985-07-01,+84 903 000 111
k3,Nguyễn Văn Bình,1990-05-12,0326 123 456
k4,Trần Văn Tư,1970,
k5,,1990-02-30,
`);
const mapping = file('mapping.json', JSON.stringify({
  left: { id: 'ma', fields: { fullName: 'ho_ten', birthDate: 'ngay_sinh', phone: 'sdt' } },
  right: { id: 'so_cccd', fields: { citizenId: 'so_cccd', fullName: ['ho', 'dem', 'ten'], birthDate: 'ngay_sinh', sex: 'gioi_tinh', phone: 'dien_thoai' } },
}));
const pairsOf = (path: string) => parse(readFileSync(path), { columns: true }) as Array<Record<string, string>>;

describe('the linkage CLI', () => {
  it('links a file to another under a mapping and writes the scored pairs, refused records with their reasons', async () => {
    const out = join(dir, 'pairs.csv');
    const summary = await runLinkage(['--left', clinic, '--right', registry, '--mapping', mapping, '--out', out]);
    expect(summary).toMatchObject({ records: 5, linked: 3, unknown: 1, rejected: 1 });
    const pairs = pairsOf(out);
    const best = (id: string) => pairs.find((p) => p.left_id === id && p.rank === '1');
    expect(best('k1')).toMatchObject({ right_id: '001090012345', decision: 'LINKED' });
    expect(best('k2')).toMatchObject({ right_id: '079185001234', decision: 'LINKED' });
    expect(best('k3')).toMatchObject({ right_id: '001090054321', decision: 'LINKED' });
    expect(best('k1')!.evidence).toContain('phone=equal');
    expect(pairs.find((p) => p.left_id === 'k5')).toMatchObject({ decision: 'REJECTED', evidence: expect.stringContaining('birthDate=IMPOSSIBLE_DATE') });
  });

  it('deduplicates one file: each record against the others, never against itself', async () => {
    const list = file('list.csv', `id,name,dob,phone
a,Nguyễn Văn An,1990-05-12,0326123456
b,NGUYEN VAN AN,12/05/1990,01626123456
c,Nguyễn Văn Bình,1990-05-12,0326123456
`);
    const out = join(dir, 'dedupe.csv');
    await runLinkage(['--left', list, '--mapping', file('m.json', JSON.stringify({ id: 'id', fields: { fullName: 'name', birthDate: 'dob', phone: 'phone' } })), '--out', out]);
    const pairs = pairsOf(out);
    expect(pairs.every((p) => p.left_id !== p.right_id)).toBe(true);
    expect(pairs.find((p) => p.left_id === 'a' && p.rank === '1')).toMatchObject({ right_id: 'b', decision: 'LINKED' });
  });

  it('reads header names trimmed, as files written with a space after each comma have them', async () => {
    const list = file('spaced.csv', `id, name, dob, phone
a, Nguyễn Văn An, 1990-05-12, 0326123456
b, NGUYEN VAN AN, 12/05/1990, 01626123456
`);
    const out = join(dir, 'spaced-pairs.csv');
    const summary = await runLinkage(['--left', list, '--mapping', file('ms.json', JSON.stringify({ id: 'id', fields: { fullName: 'name', birthDate: 'dob', phone: 'phone' } })), '--out', out]);
    expect(summary).toMatchObject({ records: 2, linked: 2, rejected: 0 });
    expect(pairsOf(out).find((p) => p.left_id === 'a')).toMatchObject({ right_id: 'b', decision: 'LINKED' });
  });

  it('deduplicating, links every copy of one person, not only the heaviest', async () => {
    const list = file('copies.csv', `id,name,dob,phone
a,Nguyễn Văn An,1990-05-12,0326123456
b,NGUYEN VAN AN,12/05/1990,0326123456
c,Nguyễn Văn An,1990-05-12,0326 123 456
`);
    const out = join(dir, 'copies-pairs.csv');
    await runLinkage(['--left', list, '--mapping', file('mc.json', JSON.stringify({ id: 'id', fields: { fullName: 'name', birthDate: 'dob', phone: 'phone' } })), '--out', out]);
    const linked = pairsOf(out).filter((p) => p.decision === 'LINKED' && p.left_id === 'a').map((p) => p.right_id).sort();
    expect(linked).toEqual(['b', 'c']);
  });

  it('refuses a mapping to a field the model lacks, naming it', async () => {
    const bad = file('bad.json', JSON.stringify({ id: 'ma', fields: { nickname: 'ho_ten' } }));
    await expect(runLinkage(['--left', clinic, '--mapping', bad, '--out', join(dir, 'x.csv')])).rejects.toMatchObject({ code: IdentityErrors.BAD_MAPPING, details: { field: 'left.fields.nickname' } });
  });
});
