import { defaultModel, Matcher, MemoryIndex, normaliseRecord, parseModel, IdentityErrors, type RawRecord, type NormalisedRecord } from '../src/index';

const model = defaultModel();

// A small registry with the people that make matching hard: twins sharing a birth date and a
// household phone, a namesake born the same year in the same province, regional surnames,
// an old-style tone placement and a person known only by birth year.
const registry: RawRecord[] = [
  { id: '001090012345', citizenId: '001090012345', fullName: 'Nguyễn Văn An', birthDate: '1990-05-12', sex: 'MALE', phone: '0912345678', provinceCode: '01', oldId: '012345678' },
  { id: '001090054321', citizenId: '001090054321', fullName: 'Nguyễn Văn Bình', birthDate: '1990-05-12', sex: 'MALE', phone: '0912345678', provinceCode: '01' },
  { id: '001090099999', citizenId: '001090099999', fullName: 'Nguyễn Văn An', birthDate: '1990-11-03', sex: 'MALE', phone: '0987654321', provinceCode: '01' },
  { id: '079185001234', citizenId: '079185001234', fullName: 'Huỳnh Thị Hoà', birthDate: '1985-07-01', sex: 'FEMALE', phone: '0326123456', provinceCode: '79' },
  { id: '036162000777', citizenId: '036162000777', fullName: 'Vũ Thị Thuỷ', birthDate: '1962', sex: 'FEMALE', phone: '0977000111', provinceCode: '36' },
  { id: '048203001111', citizenId: '048203001111', fullName: 'Lê Minh Tuấn', birthDate: '2003-02-14', sex: 'MALE', phone: null, provinceCode: '48' },
  { id: '001170002222', citizenId: '001170002222', fullName: 'Trần Thị Mai', birthDate: '1970-03-08', sex: 'FEMALE', phone: '0903111222', provinceCode: '01' },
  { id: '001075003333', citizenId: '001075003333', fullName: 'Phạm Quốc Hùng', birthDate: '1975-09-02', sex: 'MALE', phone: '0904333444', provinceCode: '01' },
];

function matcher() {
  const index = new MemoryIndex(model);
  index.add(registry.map((r) => (normaliseRecord(model, r) as { record: NormalisedRecord }).record));
  return new Matcher(model, index);
}

async function linkOne(record: Omit<RawRecord, 'id'>) {
  const [decision] = await matcher().linkRaw([{ id: 'r1', ...record }]);
  return decision!;
}

describe('linking hard cases', () => {
  it('namesakes born the same year: name and year alone go to review, never to one of them', async () => {
    const d = await linkOne({ fullName: 'Nguyễn Văn An', birthDate: '1990' });
    expect(d.outcome).toBe('REVIEW');
    expect(d.personId).toBeNull();
    expect(d.candidates.slice(0, 2).map((c) => c.personId).sort()).toEqual(['001090012345', '001090099999']);
  });

  it('namesakes: the full birth date and phone pick the right one', async () => {
    const d = await linkOne({ fullName: 'Nguyễn Văn An', birthDate: '03/11/1990', phone: '0987 654 321' });
    expect(d).toMatchObject({ outcome: 'LINKED', method: 'PROBABILISTIC', personId: '001090099999' });
  });

  it('twins with one birth date and household phone are told apart by the given name', async () => {
    const binh = await linkOne({ fullName: 'Nguyễn Văn Bình', birthDate: '1990-05-12', phone: '0912345678', sex: 'MALE' });
    expect(binh).toMatchObject({ outcome: 'LINKED', personId: '001090054321' });
    const an = await linkOne({ fullName: 'Nguyễn Văn An', birthDate: '1990-05-12', phone: '0912345678', sex: 'MALE' });
    expect(an).toMatchObject({ outcome: 'LINKED', personId: '001090012345' });
    // The twin is the runner-up and far below.
    expect(an.candidates[1]!.personId).toBe('001090054321');
    expect(an.candidates[0]!.weight - an.candidates[1]!.weight).toBeGreaterThan(model.thresholds.margin);
  });

  it('a typo in the name with a matching citizen ID links by the ID', async () => {
    const d = await linkOne({ fullName: 'Nguyen Van Anh', citizenId: '001090012345', birthDate: '1990-05-12' });
    expect(d).toMatchObject({ outcome: 'LINKED', method: 'IDENTIFIER', identifierKind: 'citizenId', personId: '001090012345' });
    expect(d.candidates[0]!.evidence.find((e) => e.comparison === 'givenName')?.level).toBe('oneEdit');
  });

  it('the right name and birth date with someone else\'s ID is not linked to the ID holder', async () => {
    // The namesake's ID: same name, same year, same province; the birth date and phone say otherwise.
    const d = await linkOne({ fullName: 'Nguyễn Văn An', citizenId: '001090099999', birthDate: '1990-05-12', phone: '0912345678' });
    expect(d.outcome).toBe('REVIEW');
    expect(d.personId).toBeNull();
    expect(d.flags).toContain('IDENTIFIER_CONFLICT');
    expect(d.candidates[0]!.personId).toBe('001090012345');
  });

  it('an ID whose digits contradict the record\'s own birth year is held back', async () => {
    // Lê Minh Tuấn's ID encodes 2003; the record is An's, born 1990.
    const d = await linkOne({ fullName: 'Nguyễn Văn An', citizenId: '048203001111', birthDate: '1990-05-12', phone: '0912345678' });
    expect(d.outcome).not.toBe('LINKED');
    expect(d.flags).toEqual(expect.arrayContaining(['CITIZEN_ID_CONTRADICTED']));
    expect(d.problems.map((p) => p.field)).toContain('citizenId');
  });

  it('an old ID links through the registry when the record agrees with its holder', async () => {
    const d = await linkOne({ fullName: 'NGUYỄN VĂN AN', oldId: '012345678', birthDate: '1990' });
    expect(d).toMatchObject({ outcome: 'LINKED', method: 'IDENTIFIER', identifierKind: 'oldId', personId: '001090012345' });
  });

  it('missing tone marks, capitals, a regional surname, the other tone placement and an 11-digit phone still link', async () => {
    const d = await linkOne({ fullName: 'HOANG THI HOA', birthDate: '01/07/1985', phone: '01626123456' });
    expect(d).toMatchObject({ outcome: 'LINKED', personId: '079185001234' });
    expect(d.candidates[0]!.evidence.find((e) => e.comparison === 'familyName')?.level).toBe('regionalSpelling');
    const toned = await linkOne({ fullName: 'Huỳnh Thị Hòa', birthDate: '1985-07-01', phone: '+84 326 123 456' });
    expect(toned).toMatchObject({ outcome: 'LINKED', personId: '079185001234' });
  });

  it('a name written given name first is compared in the registry order', async () => {
    const d = await linkOne({ fullName: 'Tuấn Lê Minh', birthDate: '14/02/2003', sex: 'Nam' });
    expect(d).toMatchObject({ outcome: 'LINKED', personId: '048203001111' });
    expect(d.candidates[0]!.evidence.find((e) => e.comparison === 'familyName')).toMatchObject({ level: 'exact', left: 'Lê Minh Tuấn' });
  });

  it('year-only birth dates: linked with a phone to back them, reviewed without', async () => {
    const withPhone = await linkOne({ fullName: 'Vu Thi Thuy', birthDate: '1962', phone: '0977 000 111' });
    expect(withPhone).toMatchObject({ outcome: 'LINKED', personId: '036162000777' });
    expect(withPhone.candidates[0]!.evidence.find((e) => e.comparison === 'birthDate')?.level).toBe('onlyYearKnown');
    const alone = await linkOne({ fullName: 'Vũ Thị Thủy', birthDate: '1962' });
    expect(alone.outcome).toBe('REVIEW');
    expect(alone.candidates[0]!.personId).toBe('036162000777');
  });

  it('a person the registry does not know is unknown, not linked to the nearest one', async () => {
    const d = await linkOne({ fullName: 'Đỗ Thị Hạnh', birthDate: '1990-05-12', phone: '0966123123' });
    expect(d.outcome).toBe('UNKNOWN');
    expect(d.personId).toBeNull();
  });

  it('a common surname weighs less than a rare one (term frequencies)', async () => {
    const common = await linkOne({ fullName: 'Nguyễn Văn An', birthDate: '1990-05-12' });
    const rare = await linkOne({ fullName: 'Phạm Quốc Hùng', birthDate: '1975-09-02' });
    const w = (d: typeof common) => d.candidates[0]!.evidence.find((e) => e.comparison === 'familyName')!.weight;
    expect(w(rare)).toBeGreaterThan(w(common));
  });
});

describe('bad input', () => {
  it.each([
    [{ fullName: '   ' }, 'fullName', 'MISSING_REQUIRED'],
    [{ fullName: '123 456' }, 'fullName', 'NOT_A_NAME'],
    [{ fullName: 'Nguyễn Văn An', birthDate: '30/02/1990' }, 'birthDate', 'IMPOSSIBLE_DATE'],
    [{ fullName: 'Nguyễn Văn An', citizenId: '00109001234' }, 'citizenId', 'WRONG_LENGTH'],
    [{ fullName: 'Nguyễn Văn An', citizenId: '099090012345' }, 'citizenId', 'UNKNOWN_PROVINCE'],
    [{ fullName: 'Nguyễn Văn An', oldId: '1234' }, 'oldId', 'WRONG_LENGTH'],
  ])('refuses %j with the reason, never links it', async (record, field, code) => {
    const d = await linkOne({ birthDate: '1990-05-12', phone: '0912345678', ...record });
    expect(d.outcome).toBe('REJECTED');
    expect(d.personId).toBeNull();
    expect(d.problems).toContainEqual(expect.objectContaining({ field, code }));
  });

  it('a malformed phone is dropped with a warning (the model says ignore), the rest still links', async () => {
    const d = await linkOne({ fullName: 'Nguyễn Văn Bình', birthDate: '1990-05-12', phone: '12345', citizenId: '001090054321' });
    expect(d).toMatchObject({ outcome: 'LINKED', personId: '001090054321' });
    expect(d.problems).toContainEqual(expect.objectContaining({ field: 'phone', code: 'NOT_A_MOBILE_NUMBER' }));
  });

  it('an indexed person whose name the model cannot read is kept without it, and found by an identifier', async () => {
    const odd: RawRecord = { id: '001080004444', citizenId: '001080004444', fullName: 'Người 21', birthDate: '1980-01-01', sex: 'MALE', phone: null, provinceCode: '01', oldId: '013579246' };
    // As a record to link it is refused; as a person the index holds, the name is dropped with a warning.
    expect(normaliseRecord(model, odd, { nameOrders: false })).toMatchObject({ ok: false, problems: [expect.objectContaining({ field: 'fullName', code: 'NOT_A_NAME' })] });
    const kept = normaliseRecord(model, odd, { nameOrders: false, keepValidValues: true });
    expect(kept).toMatchObject({ ok: true, record: { warnings: [expect.objectContaining({ field: 'fullName', code: 'NOT_A_NAME' })] } });
    const index = new MemoryIndex(model);
    index.add([(kept as { record: NormalisedRecord }).record]);
    const [d] = await new Matcher(model, index).linkRaw([{ id: 'r1', oldId: '013579246', birthDate: '1980-01-01' }]);
    expect(d).toMatchObject({ outcome: 'LINKED', method: 'IDENTIFIER', identifierKind: 'oldId', personId: '001080004444' });
  });

  it('refuses a model that names an unknown field or form, naming where', () => {
    const bad = structuredClone(model) as unknown as { blocking: { rules: Array<{ keys: Array<{ form: string }> }> } };
    bad.blocking.rules[0]!.keys[0]!.form = 'soundex';
    expect(() => parseModel(bad)).toThrow(expect.objectContaining({ code: IdentityErrors.BAD_MODEL, details: { field: 'blocking.rules.0.keys.0' } }));
  });
});

describe('tone and vowel marks', () => {
  const twins: RawRecord[] = [
    { id: '001095000001', citizenId: '001095000001', fullName: 'Nguyễn Văn Hùng', birthDate: '1995-01-20', sex: 'MALE', phone: '0977111222' },
    { id: '001095000002', citizenId: '001095000002', fullName: 'Nguyễn Văn Hưng', birthDate: '1995-01-20', sex: 'MALE', phone: '0977111222' },
  ];
  const index = new MemoryIndex(model);
  index.add([...registry, ...twins].map((r) => (normaliseRecord(model, r) as { record: NormalisedRecord }).record));
  const link = async (r: Omit<RawRecord, 'id'>) => (await new Matcher(model, index).linkRaw([{ id: 'r', ...r }]))[0]!;

  it('tell apart twins whose given names differ only in their marks (Hùng, Hưng)', async () => {
    expect(await link({ fullName: 'Nguyễn Văn Hưng', birthDate: '1995-01-20', phone: '0977111222' })).toMatchObject({ outcome: 'LINKED', personId: '001095000002' });
    expect(await link({ fullName: 'NGUYỄN VĂN HÙNG', birthDate: '20/01/1995', phone: '0977111222' })).toMatchObject({ outcome: 'LINKED', personId: '001095000001' });
  });

  it('send a name typed without marks, which fits both, to review', async () => {
    const d = await link({ fullName: 'Nguyen Van Hung', birthDate: '1995-01-20', phone: '0977111222' });
    expect(d.outcome).toBe('REVIEW');
    expect(d.flags).toContain('AMBIGUOUS');
  });
});
