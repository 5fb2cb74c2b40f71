import { defaultModel, Matcher, MemoryIndex, normaliseRecord, parseModel, type NormalisedRecord, type RawRecord } from '../src/index';

// The shipped model deciding by the probability that the best candidate is the record's
// person among the registry's persons, not by a fixed weight.
const shipped = defaultModel();
const model = parseModel({ ...shipped, thresholds: { ...shipped.thresholds, byProbability: { autoLink: 0.999, review: 0.5, notInRegistry: 0.02 } } });

const mai: RawRecord = { id: '001170002222', citizenId: '001170002222', fullName: 'Trần Thị Mai', birthDate: '1970-03-08', sex: 'FEMALE', phone: '0903111222', provinceCode: '01' };
const maiNamesake: RawRecord = { id: '001170009999', citizenId: '001170009999', fullName: 'Trần Thị Mai', birthDate: '1970-11-21', sex: 'FEMALE', phone: '0903555666', provinceCode: '01' };

// Others with the names of a registry (Trần and Mai among them, never Trần Thị Mai together),
// so a name's frequency is about the same in a registry of 2,000 and of 20,000.
function others(count: number): RawRecord[] {
  const families = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô'];
  const middles = ['Văn', 'Thị', 'Minh', 'Quốc', 'Ngọc', 'Thanh', 'Hữu', 'Đức'];
  const givens = ['An', 'Bình', 'Cường', 'Dũng', 'Hà', 'Hùng', 'Lan', 'Long', 'Mai', 'Nam', 'Phúc', 'Quân', 'Sơn', 'Tâm', 'Tuấn', 'Yến'];
  const out: RawRecord[] = [];
  for (let i = 0; out.length < count; i++) {
    const fullName = `${families[i % 11]} ${middles[Math.floor(i / 11) % 8]} ${givens[Math.floor(i / 88) % 16]}`;
    if (fullName === 'Trần Thị Mai') continue;
    const day = String((i % 28) + 1).padStart(2, '0');
    const month = String((Math.floor(i / 28) % 12) + 1).padStart(2, '0');
    out.push({ id: `0010${String(i).padStart(8, '0')}`, fullName, birthDate: `${1940 + (i % 60)}-${month}-${day}`, sex: i % 2 ? 'MALE' : 'FEMALE', phone: `09${String(10_000_000 + i).slice(-8)}`, provinceCode: '01' });
  }
  return out;
}

async function decide(registry: RawRecord[], record: Omit<RawRecord, 'id'>) {
  const index = new MemoryIndex(model);
  index.add(registry.map((r) => (normaliseRecord(model, r, { nameOrders: false }) as { record: NormalisedRecord }).record));
  const [decision] = await new Matcher(model, index).linkRaw([{ id: 'r1', ...record }]);
  return decision!;
}

describe('deciding by probability in a registry of its size', () => {
  // An outsider named Trần Thị Mai, born 1970, whose record gives the year alone.
  const outsider = { fullName: 'Trần Thị Mai', birthDate: '1970', sex: 'FEMALE' };

  it('asks for more evidence in a bigger registry: the odds fall with the number of persons', async () => {
    const smaller = await decide([mai, ...others(2_000)], outsider);
    const bigger = await decide([mai, ...others(20_000)], outsider);
    expect(smaller.candidates[0]!.personId).toBe(mai.id);
    expect(bigger.candidates[0]!.personId).toBe(mai.id);
    // About the same weight (the names about as frequent in both), ten times as many persons:
    // the odds that the candidate is the record's person, for the same weight, fall tenfold.
    expect(Math.abs(bigger.weight! - smaller.weight!)).toBeLessThan(1);
    const odds = (p: number) => p / (1 - p);
    const ratio = odds(smaller.probability!) / odds(bigger.probability!) / 2 ** (smaller.weight! - bigger.weight!);
    expect(ratio).toBeGreaterThan(9);
    expect(ratio).toBeLessThan(11);
    expect(bigger.outcome).not.toBe('LINKED');
    expect(bigger.probability!).toBeLessThan(0.5);
  });

  it('never links a record whose best candidate is no better than a namesake', async () => {
    const d = await decide([mai, maiNamesake, ...others(8)], outsider);
    expect(d.candidates.map((c) => c.personId).sort()).toEqual([mai.id, maiNamesake.id].sort());
    expect(d.candidates[0]!.weight).toBeCloseTo(d.candidates[1]!.weight, 6);
    expect(d.outcome).not.toBe('LINKED');
    expect(d.probability!).toBeLessThan(0.5);
  });

  it('still links a record that tells the person from her namesake', async () => {
    const d = await decide([mai, maiNamesake, ...others(20_000)], { fullName: 'Trần Thị Mai', birthDate: '08/03/1970', sex: 'FEMALE', phone: '0903111222' });
    expect(d).toMatchObject({ outcome: 'LINKED', method: 'PROBABILISTIC', personId: mai.id });
    expect(d.probability!).toBeGreaterThanOrEqual(0.999);
  });

  it('refuses a review probability above the auto-link one', () => {
    expect(() => parseModel({ ...shipped, thresholds: { ...shipped.thresholds, byProbability: { autoLink: 0.9, review: 0.95, notInRegistry: 0 } } })).toThrow(/thresholds.byProbability/);
  });

  it("never links without a steward when the source cannot tell the registry's size", async () => {
    const index = new MemoryIndex(model);
    index.add([mai, ...others(2_000)].map((r) => (normaliseRecord(model, r, { nameOrders: false }) as { record: NormalisedRecord }).record));
    // A source that finds and loads persons but has no term counts, hence no count of persons.
    const sizeless = {
      findByIdentifiers: index.findByIdentifiers.bind(index),
      findByBlockKeys: index.findByBlockKeys.bind(index),
      loadPersons: index.loadPersons.bind(index),
      termFrequencies: async () => undefined,
    };
    const strong = { fullName: 'Trần Thị Mai', birthDate: '1970-03-08', sex: 'FEMALE', phone: '0903111222', provinceCode: '01' };
    const [known] = await new Matcher(model, index).linkRaw([{ id: 'r1', ...strong }]);
    expect(known).toMatchObject({ outcome: 'LINKED', personId: mai.id });
    const [unsized] = await new Matcher(model, sizeless).linkRaw([{ id: 'r1', ...strong }]);
    expect(unsized).toMatchObject({ outcome: 'REVIEW', personId: null, flags: ['REGISTRY_SIZE_UNKNOWN'] });
    expect(unsized!.candidates[0]!.personId).toBe(mai.id);
  });
});
