import referenceJaroWinkler from 'jaro-winkler';
import { jaroWinkler } from '../src/jaro-winkler';
import { defaultModel, Matcher, MemoryIndex, normaliseRecord, scorePair, type NormalisedRecord, type RawRecord } from '../src/index';

const model = defaultModel();

function normalised(raw: RawRecord, nameOrders = true): NormalisedRecord {
  const n = normaliseRecord(model, raw, { nameOrders });
  if (!n.ok) throw new Error(JSON.stringify(n.problems));
  return n.record;
}

describe('weighing candidates', () => {
  it('Jaro–Winkler gives the same figure as the reference package, to the last bit', () => {
    const words = ['', 'a', 'an', 'anh', 'nah', 'van an', 'van anh', 'thi thu hien', 'thi hien', 'hien thu', 'nguyen', 'nguyn', 'ngyuen', 'huynh', 'hoang', 'dwayne', 'duane', 'martha', 'marhta', 'dixon', 'dicksonx', 'thuy', 'thuỷ', 'ab', 'ba', 'abc', 'cab'];
    let compared = 0;
    for (const a of words) {
      for (const b of words) {
        expect(jaroWinkler(a, b)).toBe(referenceJaroWinkler(a, b));
        compared++;
      }
    }
    // Pseudo-random strings over a small alphabet, so many characters match out of place.
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const word = () => Array.from({ length: 1 + (next() % 14) }, () => 'anhtuy '[next() % 7]).join('');
    for (let i = 0; i < 5000; i++) {
      const [a, b] = [word(), word()];
      expect(jaroWinkler(a, b)).toBe(referenceJaroWinkler(a, b));
      compared++;
    }
    expect(compared).toBeGreaterThan(5000);
  });

  it('candidates carry the weight and evidence the pair scorer gives, worked out when read and kept in JSON', async () => {
    const persons = [
      { id: 'p1', fullName: 'Nguyễn Văn An', birthDate: '1990-05-12', sex: 'MALE', phone: '0912345678', provinceCode: '01' },
      { id: 'p2', fullName: 'Nguyễn Văn Anh', birthDate: '1990-05-12', sex: 'MALE', phone: '0912000000', provinceCode: '01' },
      { id: 'p3', fullName: 'Nguyễn Thị An', birthDate: '1990-05-12', sex: 'FEMALE', provinceCode: '79' },
    ].map((p) => normalised(p, false));
    const index = new MemoryIndex(model);
    index.add(persons);
    const record = normalised({ id: 'r1', fullName: 'Nguyen Van An', birthDate: '12/05/1990', phone: '+84 912 345 678' });
    const [decision] = await new Matcher(model, index).link([record]);
    expect(decision!.candidates.map((c) => c.personId).sort()).toEqual(['p1', 'p2', 'p3']);
    expect(decision!.candidates[0]!.personId).toBe('p1');
    const weights = decision!.candidates.map((c) => c.weight);
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
    const tf = await index.termFrequencies();
    for (const c of decision!.candidates) {
      const reference = scorePair(model, record, persons.find((p) => p.id === c.personId)!, tf);
      expect(c.weight).toBe(reference.weight);
      expect(c.probability).toBe(reference.probability);
      expect(c.evidence).toEqual(reference.evidence);
      expect(JSON.parse(JSON.stringify(c)).evidence).toEqual(reference.evidence);
    }
    expect(decision!.candidates[0]!.evidence.find((e) => e.comparison === 'familyName')).toMatchObject({ level: 'exact', left: 'Nguyen Van An', right: 'Nguyễn Văn An' });
  });

  it('the columns of the in-memory index weigh every pair as the pair scorer does, reaching every level of the model', async () => {
    // Persons and records built from the same parts, so pairs reach every level: marks
    // dropped or different, regional surnames, dropped middle names, typos, other name
    // orders, year-only and day/month-exchanged dates, a phone one digit off, values no
    // person holds, fields missing on either side.
    const families = ['Nguyễn', 'Nguyên', 'Nguyen', 'Huỳnh', 'Hoàng', 'Vũ', 'Võ', 'Trần', 'Tran', 'Trân', 'Nguyễm'];
    const rests = ['Văn An', 'Van An', 'An', 'Văn Ân', 'Thị Thu Hiền', 'Thu Hiền', 'Thị Thu Hiên', 'Thi Thu Hien', 'Văn Anh', 'Thị Hồng'];
    const dates = ['1990-05-12', '1990-12-05', '1990', '05/1990', '1990-05-13', '1991-05-12', '1989-01-01', null];
    const phones = ['0912345678', '0912345679', '0987654321', null];
    let seed = 11;
    const next = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
    const raw = (id: string): RawRecord => ({
      id,
      fullName: next(9) === 0 ? `${rests[next(rests.length)]} ${families[next(families.length)]}` : `${families[next(families.length)]} ${rests[next(rests.length)]}`,
      birthDate: dates[next(dates.length)],
      sex: ['MALE', 'FEMALE', null][next(3)],
      phone: phones[next(phones.length)],
      provinceCode: ['01', '79', null][next(3)],
    });
    const persons = Array.from({ length: 300 }, (_, i) => normalised(raw(`p${i}`), false));
    const records = Array.from({ length: 120 }, (_, i) => normalised(raw(`r${i}`)));
    records.push(normalised({ id: 'r-nameless', oldId: '123456789', birthDate: '1990-05-12', phone: '0912345678' }));
    records.push(normalised({ id: 'r-unheld', fullName: 'Lương Thế Vinh', birthDate: '1931', phone: '0900000001', provinceCode: '99' }));
    const index = new MemoryIndex(model);
    index.add(persons);
    const tf = await index.termFrequencies();
    const weigher = index.weigher(tf);
    const levels = new Set<string>();
    const differing: string[] = [];
    for (const r of records) {
      weigher.begin(r);
      for (const p of persons) {
        const reference = scorePair(model, r, p, tf);
        const weight = weigher.weigh(p.id);
        if (!Object.is(weight, reference.weight)) differing.push(`${r.id}/${p.id}: ${weight} against ${reference.weight}`);
        for (const e of reference.evidence) levels.add(`${e.comparison}.${e.level}`);
      }
    }
    expect(differing).toEqual([]);
    expect(weigher.weigh('nobody')).toBeUndefined();
    const modelLevels = model.comparisons.flatMap((c) => [...c.levels.map((l) => `${c.name}.${l.name}`), `${c.name}.otherwise`, `${c.name}.missing`]);
    expect([...levels].sort()).toEqual([...modelLevels].sort());
  });
});
