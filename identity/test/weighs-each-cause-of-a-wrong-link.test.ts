import { defaultModel, Matcher, MemoryIndex, normaliseRecord, type LinkDecision, type NormalisedRecord, type RawRecord } from '../src/index';

const model = defaultModel();

// Registry persons, each the one a record below must or must not be linked to.
const registry: RawRecord[] = [
  { id: '001090012345', citizenId: '001090012345', fullName: 'Nguyễn Văn Hùng', birthDate: '1990-05-12', sex: 'MALE', phone: '0912345678', provinceCode: '01' },
  { id: '079185001234', citizenId: '079185001234', fullName: 'Trần Thị Uyên', birthDate: '1985-07-01', sex: 'FEMALE', phone: '0326123456', provinceCode: '79' },
  { id: '001075003333', citizenId: '001075003333', fullName: 'Phạm Quốc Minh', birthDate: '1975-09-02', sex: 'MALE', phone: '0904333444', provinceCode: '01' },
  { id: '036162000777', citizenId: '036162000777', fullName: 'Lê Thị Ngọc Lan', birthDate: '1962-03-08', sex: 'FEMALE', phone: '0977000111', provinceCode: '36' },
];

async function link(record: Omit<RawRecord, 'id'>): Promise<LinkDecision> {
  const index = new MemoryIndex(model);
  index.add(registry.map((r) => (normaliseRecord(model, r) as { record: NormalisedRecord }).record));
  const [d] = await new Matcher(model, index).linkRaw([{ id: 'r1', ...record }]);
  return d!;
}
const level = (d: LinkDecision, comparison: string) => d.candidates[0]!.evidence.find((e) => e.comparison === comparison)!;

describe('each cause of a wrong link or a miss', () => {
  it('a full birth date that differs in the month weighs against, not about neutral', async () => {
    const d = await link({ fullName: 'Nguyễn Văn Hùng', birthDate: '1990-09-12', sex: 'MALE' });
    expect(level(d, 'birthDate')).toMatchObject({ level: 'sameYearOtherDate' });
    expect(level(d, 'birthDate').weight).toBeLessThan(0);
    expect(d.outcome).not.toBe('LINKED');
  });

  it('a day off by a few days still counts for the candidate, less than the right day', async () => {
    const d = await link({ fullName: 'Nguyễn Văn Hùng', birthDate: '1990-05-14', phone: '0912345678' });
    expect(level(d, 'birthDate')).toMatchObject({ level: 'daysApart' });
    expect(level(d, 'birthDate').weight).toBeGreaterThan(0);
    expect(d).toMatchObject({ outcome: 'LINKED', personId: '001090012345' });
  });

  it('another given name with the same birth date is not linked: the given name is compared on its own', async () => {
    // One letter apart (Hùng, Tùng) weighs against: a typo, or another person.
    const tung = await link({ fullName: 'Nguyễn Văn Tùng', birthDate: '1990-05-12', sex: 'MALE' });
    expect(level(tung, 'givenName')).toMatchObject({ level: 'oneEdit' });
    expect(level(tung, 'givenName').weight).toBeLessThan(-1);
    const binh = await link({ fullName: 'Nguyễn Văn Bình', birthDate: '1990-05-12', sex: 'MALE' });
    expect(binh.outcome).not.toBe('LINKED');
    expect(level(binh, 'givenName').weight).toBeLessThan(-4);
    const uyen = await link({ fullName: 'Trần Thị Dung', birthDate: '1985-07-01', sex: 'FEMALE' });
    expect(uyen.outcome).not.toBe('LINKED');
  });

  it('another surname with the rest equal is not linked', async () => {
    const d = await link({ fullName: 'Lê Văn Hùng', birthDate: '1990-05-12', sex: 'MALE' });
    expect(d.outcome).not.toBe('LINKED');
  });

  it('any middle name may be missing: one left out weighs a little against, not as a different name', async () => {
    const d = await link({ fullName: 'Phạm Minh', birthDate: '1975-09-02', phone: '0904333444' });
    expect(level(d, 'middleNames')).toMatchObject({ level: 'oneLeftOutOrReordered' });
    expect(level(d, 'middleNames').weight).toBeGreaterThan(-3);
    expect(d).toMatchObject({ outcome: 'LINKED', personId: '001075003333' });
    const lan = await link({ fullName: 'Lê Ngọc Thị Lan', birthDate: '1962-03-08', phone: '0977000111' });
    expect(level(lan, 'middleNames')).toMatchObject({ level: 'oneLeftOutOrReordered' });
    expect(lan).toMatchObject({ outcome: 'LINKED', personId: '036162000777' });
  });

  it('a name with a year-only birth date is never enough to link, even with sex and province agreeing', async () => {
    const d = await link({ fullName: 'Nguyễn Văn Hùng', birthDate: '1990', sex: 'MALE', provinceCode: '01' });
    expect(level(d, 'birthDate')).toMatchObject({ level: 'onlyYearKnown' });
    expect(d.candidates[0]!.personId).toBe('001090012345');
    expect(d.outcome).toBe('REVIEW');
  });

  it('a citizen ID one digit off the top candidate\'s supports it rather than conflicts', async () => {
    const d = await link({ fullName: 'Nguyễn Văn Hùng', birthDate: '1990-05-12', phone: '0912345678', citizenId: '001090012845' });
    expect(d.flags).not.toContain('IDENTIFIER_CONFLICT');
    expect(d).toMatchObject({ outcome: 'LINKED', personId: '001090012345' });
    // Two digits off is another person's ID, or a person the registry lacks.
    const far = await link({ fullName: 'Nguyễn Văn Hùng', birthDate: '1990-05-12', phone: '0912345678', citizenId: '001090017845' });
    expect(far.flags).toContain('IDENTIFIER_CONFLICT');
    expect(far.outcome).toBe('REVIEW');
  });
});
