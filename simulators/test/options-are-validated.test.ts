import { createPopulation, MAX_POPULATION_SIZE } from '../src/index';

describe('createPopulation options', () => {
  it.each([0, -1, MAX_POPULATION_SIZE + 1, 1.5, Number.NaN, Infinity])('rejects size %p with a RangeError naming size', (size) => {
    expect(() => createPopulation({ size })).toThrow(RangeError);
    expect(() => createPopulation({ size })).toThrow(/size/);
  });

  it('rejects a missing size', () => {
    expect(() => createPopulation({} as { size: number })).toThrow(/size/);
  });

  it.each([1.5, Number.NaN, 2 ** 60])('rejects seed %p with a RangeError naming seed', (seed) => {
    expect(() => createPopulation({ size: 10, seed })).toThrow(RangeError);
    expect(() => createPopulation({ size: 10, seed })).toThrow(/seed/);
  });

  it('accepts the bounds and defaults the seed to 2021', () => {
    expect(createPopulation({ size: 1 }).seed).toBe(2021);
    expect(createPopulation({ size: MAX_POPULATION_SIZE }).size).toBe(MAX_POPULATION_SIZE);
    expect(createPopulation({ size: 5, seed: -7 }).seed).toBe(-7);
  });

  it('rejects person indices outside the population', () => {
    const pop = createPopulation({ size: 10 });
    for (const i of [-1, 10, 2.5]) {
      expect(() => pop.person(i)).toThrow(RangeError);
      expect(() => pop.vaccinations(i)).toThrow(RangeError);
    }
  });
});
