import { defaultModel, IdentityErrors, LinkingPool, Matcher, MemoryIndex, normaliseRecord, plainKey, type LinkDecision, type NormalisedRecord, type RawRecord } from '../src/index';

const model = defaultModel();

// A registry where names, birth dates and phones collide often: namesakes, twins, shared phones.
const families = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Huỳnh', 'Hoàng', 'Vũ', 'Võ'];
const middles = ['Văn', 'Thị', 'Minh', 'Ngọc'];
const givens = ['An', 'Anh', 'Bình', 'Hùng', 'Hưng', 'Thuỷ', 'Hoà', 'Lan', 'Tuấn'];
const registry: RawRecord[] = [];
for (let i = 0; i < 400; i++) {
  const fullName = `${families[i % 8]} ${middles[(i >> 3) % 4]} ${givens[(i * 7) % 9]}`;
  registry.push({
    id: `p${i}`,
    fullName,
    birthDate: `19${70 + (i % 3)}-0${1 + (i % 2)}-1${i % 4}`,
    sex: middles[(i >> 3) % 4] === 'Thị' ? 'FEMALE' : 'MALE',
    phone: `0912${String(100000 + (i % 150)).slice(1)}0`,
    provinceCode: i % 5 === 0 ? '79' : '01',
  });
}

// Records of registry persons with the usual noise, and of people it does not hold.
function records(): RawRecord[] {
  const out: RawRecord[] = [];
  for (let i = 0; i < 300; i++) {
    const p = registry[(i * 13) % registry.length]!;
    const name = String(p.fullName);
    const variant = i % 6;
    out.push({
      id: `r${i}`,
      fullName: variant === 1 ? plainKey(name) : variant === 2 ? name.split(' ').reverse().join(' ') : variant === 5 ? `Đặng ${name}` : name,
      birthDate: variant === 3 ? String(p.birthDate).slice(0, 4) : variant === 4 ? null : p.birthDate,
      phone: i % 2 === 0 ? p.phone : null,
      sex: i % 3 === 0 ? p.sex : null,
    });
  }
  out.push({ id: 'stranger', fullName: 'Đỗ Quang Khải', birthDate: '1950-12-01', phone: '0988777666' });
  out.push({ id: 'bad', fullName: '12345', birthDate: '1990-02-30' });
  return out;
}

// Decisions as plain data, evidence included, so the two ways can be compared whole.
const plain = (ds: LinkDecision[]) => JSON.parse(JSON.stringify(ds)) as unknown;

describe('linking in worker threads', () => {
  let pool: LinkingPool;
  afterEach(async () => pool?.close());

  it('gives the same decisions, candidates and evidence as one matcher in this thread', async () => {
    const index = new MemoryIndex(model);
    index.add(registry.map((r) => (normaliseRecord(model, r, { nameOrders: false }) as { record: NormalisedRecord }).record));
    const input = records();
    const batches = [input.slice(0, 100), input.slice(100, 200), input.slice(200)];
    const matcher = new Matcher(model, index);
    const inThread: LinkDecision[] = [];
    for (const b of batches) inThread.push(...(await matcher.linkRaw(b)));

    pool = new LinkingPool(model, { workers: 2 });
    expect(pool.size).toBe(2);
    await expect(pool.addPersons(registry.slice(0, 250), { nameOrders: false })).resolves.toEqual({ added: 250, refused: 0 });
    await expect(pool.addPersons([...registry.slice(250), { id: 'x', fullName: '' }], { nameOrders: false })).resolves.toEqual({ added: 150, refused: 1 });
    // Batches in flight at once, so both workers link.
    const inWorkers = (await Promise.all(batches.map((b) => pool.linkRaw(b)))).flat();

    expect(inWorkers.map((d) => d.outcome)).toEqual(inThread.map((d) => d.outcome));
    expect(plain(inWorkers)).toEqual(plain(inThread));
    const outcomes = new Set(inThread.map((d) => d.outcome));
    expect([...outcomes].sort()).toEqual(['LINKED', 'REJECTED', 'REVIEW', 'UNKNOWN']);
    expect(inWorkers.find((d) => d.recordId === 'bad')?.problems.map((p) => p.code).sort()).toEqual(['IMPOSSIBLE_DATE', 'NOT_A_NAME']);
  });

  it('refuses a pool without workers', () => {
    expect(() => new LinkingPool(model, { workers: 0 })).toThrow(expect.objectContaining({ code: IdentityErrors.BAD_OPTIONS }));
  });
});
