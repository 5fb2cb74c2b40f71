import { createPopulation, type Population } from '../src/index';

function everything(pop: Population, i: number) {
  return {
    person: pop.person(i),
    vaccinations: pop.vaccinations(i),
    tests: pop.testResults(i),
    insurance: pop.insuranceCard(i),
    cases: pop.cases(i),
  };
}

describe('determinism', () => {
  it('gives the same person and records for the same seed in two instances', () => {
    const a = createPopulation({ seed: 99, size: 50_000 });
    const b = createPopulation({ seed: 99, size: 50_000 });
    for (let i = 0; i < 2_000; i++) expect(everything(b, i)).toEqual(everything(a, i));
  });

  it('computes record i without generating the records before it', () => {
    const sequential = createPopulation({ size: 20_000 });
    for (let i = 0; i < 12_345; i++) everything(sequential, i);
    const fresh = createPopulation({ size: 20_000 });
    expect(everything(fresh, 12_345)).toEqual(everything(sequential, 12_345));
    // And in reverse order, with other people asked for in between.
    const other = createPopulation({ size: 20_000 });
    for (const i of [19_999, 5, 12_345, 7_000]) {
      other.person(i + 1 < 20_000 ? i + 1 : i - 1);
      expect(everything(other, i)).toEqual(everything(sequential, i));
    }
  });

  it('does not depend on the population size for the people both contain', () => {
    const small = createPopulation({ seed: 5, size: 1_000 });
    const large = createPopulation({ seed: 5, size: 100_000_000 });
    for (let i = 0; i < 990; i++) {
      expect(large.person(i)).toEqual(small.person(i));
      expect(large.vaccinations(i)).toEqual(small.vaccinations(i));
    }
  });

  it('gives a different population for a different seed', () => {
    const a = createPopulation({ seed: 1, size: 1_000 });
    const b = createPopulation({ seed: 2, size: 1_000 });
    let same = 0;
    for (let i = 0; i < 1_000; i++) if (a.person(i).citizenId === b.person(i).citizenId) same++;
    expect(same).toBeLessThan(5);
  });

  it('uses neither Math.random nor the clock', () => {
    const random = jest.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random called');
    });
    const now = jest.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('Date.now called');
    });
    try {
      const pop = createPopulation({ seed: 3, size: 5_000 });
      for (let i = 0; i < 5_000; i++) everything(pop, i);
    } finally {
      random.mockRestore();
      now.mockRestore();
    }
  });

  it('returns fresh objects, so a caller mutating one cannot change later answers', () => {
    const pop = createPopulation({ size: 100 });
    const p = pop.person(3);
    p.addresses[0]!.line = 'changed';
    p.fullName = 'changed';
    expect(pop.person(3).fullName).not.toBe('changed');
    expect(pop.person(3).addresses[0]!.line).not.toBe('changed');
  });
});
