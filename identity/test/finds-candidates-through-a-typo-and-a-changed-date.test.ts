import { defaultModel, Matcher, MemoryIndex, normaliseRecord, type NormalisedRecord, type RawRecord } from '../src/index';

const model = defaultModel();
const person: RawRecord = { id: '001090012345', citizenId: '001090012345', fullName: 'Nguyễn Quốc Hùng', birthDate: '1990-05-12', sex: 'MALE', phone: '0912345678', provinceCode: '01' };

async function candidatesOf(record: Omit<RawRecord, 'id'>): Promise<string[]> {
  const index = new MemoryIndex(model);
  index.add([(normaliseRecord(model, person) as { record: NormalisedRecord }).record]);
  const [d] = await new Matcher(model, index).linkRaw([{ id: 'r1', ...record }]);
  return d!.candidates.map((c) => c.personId);
}

describe('blocking survives two kinds of noise at once', () => {
  it.each([
    ['a typo in the given name and a day off', { fullName: 'Nguyễn Quốc Hùnh', birthDate: '1990-05-14' }],
    ['a typo in the family name and a day off', { fullName: 'Ngyễn Quốc Hùng', birthDate: '1990-05-15' }],
    ['a dropped middle name and only the year', { fullName: 'Nguyễn Hùng', birthDate: '1990' }],
    ['a dropped middle name and a day off', { fullName: 'Nguyen Hung', birthDate: '1990-05-13' }],
  ])('%s: the person is still a candidate', async (_, record) => {
    expect(await candidatesOf(record)).toContain('001090012345');
  });
});
