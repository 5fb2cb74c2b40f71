import { createPopulation, heldOutNoiseProfile, noiseProfile, noisyReference } from '../src/index';

const population = createPopulation({ seed: 7, size: 4000 });
const references = (profile: ReturnType<typeof noiseProfile>) =>
  Array.from({ length: 3000 }, (_, i) => noisyReference(population, population.person(i), i, profile, true, 4000));

describe('the held-out noise profile', () => {
  it('makes every kind of noise the default profile lacks, each about as often as its rate says', () => {
    const made = references(heldOutNoiseProfile);
    const share = (kind: string) => made.filter((r) => r.noise.includes(kind)).length / made.length;
    expect(share('droppedAnyMiddleName')).toBeGreaterThan(0.015);
    expect(share('mistypedId')).toBeGreaterThan(0.005); // of the 45 % of records that give an ID
    expect(share('dayMonthSwapped')).toBeGreaterThan(0.005);
    expect(share('wrongBirthMonth')).toBeGreaterThan(0.003);
    expect(share('reorderedMiddleNames')).toBeGreaterThan(0.005);
    // A mistyped citizen ID differs from the person's in exactly one digit, past the province and birth digits.
    for (const r of made.filter((x) => x.noise.includes('mistypedId') && x.citizenId)) {
      const truth = population.person(Number(r.recordId.slice(1))).citizenId;
      const differing = [...r.citizenId!].filter((c, i) => c !== truth[i]).map((_, i) => i);
      expect(differing).toHaveLength(1);
      expect(r.citizenId!.slice(0, 6)).toBe(truth.slice(0, 6));
    }
  });

  it('leaves the default profile\'s records as they were: its kinds of noise draw from a stream of their own', () => {
    const plain = references(noiseProfile());
    const withMistypes = references(noiseProfile({ mistypedId: 1 }));
    withMistypes.forEach((r, i) => {
      const { citizenId, oldId, noise, ...rest } = r;
      const { citizenId: c0, oldId: o0, noise: n0, ...rest0 } = plain[i]!;
      expect(rest).toEqual(rest0);
      expect(noise.filter((n) => n !== 'mistypedId')).toEqual(n0);
      if (c0) expect(citizenId).not.toBe(c0);
    });
  });
});
