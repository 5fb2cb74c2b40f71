import { createPopulation, PROVINCES } from '../src/index';
import { sampleIndices } from './sample-indices';

const provinceCodes = new Set(PROVINCES.map((p) => p.code));

describe('CCCD citizen ids', () => {
  it('have the official structure and are unique over 300,000 people', () => {
    const pop = createPopulation({ seed: 11, size: 300_000 });
    const seen = new Set<string>();
    const malformed: string[] = [];
    for (let i = 0; i < 300_000; i++) {
      const p = pop.person(i);
      const id = p.citizenId;
      const centurySex = (p.birthYear >= 2000 ? 2 : 0) + (p.sex === 'FEMALE' ? 1 : 0);
      const ok =
        /^\d{12}$/.test(id) &&
        provinceCodes.has(p.provinceCode) &&
        id.slice(0, 3) === `0${p.provinceCode}` &&
        id[3] === String(centurySex) &&
        id.slice(4, 6) === String(p.birthYear % 100).padStart(2, '0');
      if (!ok && malformed.length < 5) malformed.push(`${i}: ${id} ${p.sex} ${p.birthYear} ${p.provinceCode}`);
      seen.add(id);
    }
    expect(malformed).toEqual([]);
    expect(seen.size).toBe(300_000);
  });

  it('are unique across a population of 100 million, sampled at 200,000 indices', () => {
    const pop = createPopulation({ size: 100_000_000 });
    const indices = [...new Set(sampleIndices(200_000, 100_000_000))];
    const ids = new Set<string>();
    for (const i of indices) ids.add(pop.person(i).citizenId);
    expect(ids.size).toBe(indices.length);
  });

  it('are inverted by findByCitizenId', () => {
    const pop = createPopulation({ size: 100_000_000, seed: 8 });
    const wrong: number[] = [];
    for (const i of sampleIndices(20_000, 100_000_000, 77)) {
      if (pop.findByCitizenId(pop.person(i).citizenId) !== i) wrong.push(i);
    }
    const small = createPopulation({ size: 1_000, seed: 8 });
    for (let i = 0; i < 1_000; i++) if (small.findByCitizenId(small.person(i).citizenId) !== i) wrong.push(i);
    expect(wrong).toEqual([]);
  });

  it('are not found when they belong to someone outside the population or are malformed', () => {
    const large = createPopulation({ size: 100_000_000, seed: 8 });
    const small = createPopulation({ size: 1_000, seed: 8 });
    expect(small.findByCitizenId(large.person(5_000_000).citizenId)).toBeNull();
    for (const bad of ['', '12345', '0791900000001', 'abcdefghijkl', '003190000000', '079490000000', '079100000000']) {
      expect(small.findByCitizenId(bad)).toBeNull();
    }
    // An id of another seed's population is almost never valid in this one's.
    const other = createPopulation({ size: 1_000, seed: 9 });
    let found = 0;
    for (let i = 0; i < 1_000; i++) if (small.findByCitizenId(other.person(i).citizenId) !== null) found++;
    expect(found).toBeLessThan(10);
  });
});
