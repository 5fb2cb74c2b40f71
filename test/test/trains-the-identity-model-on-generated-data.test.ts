import { normaliseRecord, type NormalisedRecord, type RawRecord } from '@health-hub/identity';
import { parseTrainingSpec, trainModel, PairScorer } from '@health-hub/identity';
import { createPopulation, noiseProfile, noisyReference, type Person } from '@health-hub/simulators';

// Records made by the simulator's noise model with rates set here, linked against the
// registry's persons: training must find the m the rates imply and the u the data holds.
const rates = { yearOnly: 0.1, wrongBirthDay: 0.05, missingBirthDate: 0.02, sex: 0.8, phone: 0.9, householdPhone: 0.1, oldPhoneForm: 0.1, typo: 0.05 };
const profile = noiseProfile({
  ...rates,
  citizenId: 0, oldId: 0, wrongId: 0, droppedToneMarks: 0.1, upperCase: 0.05, swappedNameParts: 0, droppedMiddleName: 0,
  regionalSurname: 0, notInRegistry: 0, twins: 0, namesakes: 0,
});

const spec = parseTrainingSpec({
  name: 'training-test',
  version: 1,
  fields: [
    { name: 'fullName', normaliser: 'personName' },
    { name: 'birthDate', normaliser: 'birthDate' },
    { name: 'sex', normaliser: 'sex' },
    { name: 'phone', normaliser: 'phone' },
  ],
  blocking: {
    maxBlockSize: 1000,
    rules: [
      { name: 'phone', keys: [{ field: 'phone' }] },
      { name: 'date', keys: [{ field: 'birthDate', form: 'full' }] },
    ],
  },
  comparisons: [
    { name: 'familyName', field: 'fullName', levels: [{ name: 'exact', test: { kind: 'equal', form: 'familyClass' } }] },
    { name: 'givenName', field: 'fullName', levels: [{ name: 'exact', test: { kind: 'equal', form: 'given' } }] },
    { name: 'birthDate', field: 'birthDate', levels: [{ name: 'exact', test: { kind: 'equal', form: 'full' } }, { name: 'onlyYearKnown', test: { kind: 'partialAgrees' } }] },
    { name: 'sex', field: 'sex', levels: [{ name: 'equal', test: { kind: 'equal' } }] },
    { name: 'phone', field: 'phone', levels: [{ name: 'equal', test: { kind: 'equal' } }] },
  ],
});
const model = spec.model;

const PEOPLE = 4000;
const population = createPopulation({ seed: 2027, size: PEOPLE });
const persons: Person[] = Array.from({ length: PEOPLE }, (_, i) => population.person(i));
const normalised = (raw: RawRecord, nameOrders: boolean) => {
  const n = normaliseRecord(model, raw, { nameOrders, keepValidValues: true, maxBirthYear: 2100 });
  if (!n.ok) throw new Error(`generated record ${raw.id} refused: ${JSON.stringify(n.problems)}`);
  return n.record;
};
const registry = persons.map((p) => normalised({ id: p.citizenId, fullName: p.fullName, birthDate: p.birthDate ?? String(p.birthYear), sex: p.sex, phone: p.phone }, false));
// One record of each person, in a shuffled order (record i names person (i * 7919) mod PEOPLE).
const truthOf: number[] = [];
const references = persons.map((_, i) => {
  const person = persons[(i * 7919) % PEOPLE]!;
  truthOf.push(person.index);
  const r = noisyReference(population, person, i, profile, true, PEOPLE);
  return normalised({ id: r.recordId, fullName: r.fullName, birthDate: r.birthDate, sex: r.sex, phone: r.phone }, true);
});

/** Per comparison and level (the last is `otherwise`), the share of pairs reaching it among those with the field on both sides. */
function levelShares(pairs: Iterable<[NormalisedRecord, NormalisedRecord]>): number[][] {
  const scorer = new PairScorer(model);
  const counts = model.comparisons.map((c) => new Array<number>(c.levels.length + 1).fill(0));
  const levels = new Int16Array(model.comparisons.length);
  for (const [l, r] of pairs) {
    scorer.levels(l, r, levels);
    levels.forEach((k, c) => k >= 0 && counts[c]![k]!++);
  }
  return counts.map((row) => row.map((n) => n / row.reduce((a, b) => a + b, 0)));
}

function* truePairs(): Generator<[NormalisedRecord, NormalisedRecord]> {
  for (let i = 0; i < PEOPLE; i++) yield [references[i]!, registry[truthOf[i]!]!];
}

// Every non-matching pair would be 16 million; one in 23 of them, spread evenly, is the
// reference u (a different sample from the trainer's random pairs).
function* nonMatchingPairs(): Generator<[NormalisedRecord, NormalisedRecord]> {
  for (let i = 0; i < PEOPLE; i++) for (let j = i % 23; j < PEOPLE; j += 23) if (truthOf[i] !== j) yield [references[i]!, registry[j]!];
}

describe('training a model on generated data', () => {
  const trained = trainModel(spec, { left: references, right: registry, dedupe: false });
  const m = trained.model.comparisons.map((c) => [...c.levels.map((l) => l.m), c.otherwise.m]);
  const u = trained.model.comparisons.map((c) => [...c.levels.map((l) => l.u), c.otherwise.u]);

  it('recovers m from the noise rates of the generator', () => {
    // Birth dates: the registry gives the full date for a share `full` of persons (the year
    // alone for the rest); a record keeps it unless it gives the year only, or a wrong day.
    const full = persons.filter((p) => p.birthDate).length / PEOPLE;
    const keepsDay = 1 - rates.yearOnly;
    const expected = [full * keepsDay * (1 - rates.wrongBirthDay), full * rates.yearOnly + (1 - full), full * keepsDay * rates.wrongBirthDay];
    // 4,000 true pairs: the binomial standard error of an m is at most 0.008; 0.03 is close to
    // 4 of them, with room for EM's bias where fields are not independent.
    const birthDate = model.comparisons.findIndex((c) => c.name === 'birthDate');
    expected.forEach((e, k) => expect(Math.abs(m[birthDate]![k]! - e)).toBeLessThan(0.03));
    // Sex is never changed: a record that gives it agrees.
    const sex = model.comparisons.findIndex((c) => c.name === 'sex');
    expect(m[sex]![0]).toBeGreaterThan(0.99);
  });

  it('recovers every m within 0.03 of its share among the true pairs', () => {
    const truth = levelShares(truePairs());
    truth.forEach((row, c) => row.forEach((t, k) => expect({ comparison: c, level: k, error: Math.abs(m[c]![k]! - t) < 0.03 }).toEqual({ comparison: c, level: k, error: true })));
  });

  it('recovers u from random pairs', () => {
    const truth = levelShares(nonMatchingPairs());
    // u is estimated from a million random pairs: a level reached by a share u of them is
    // counted about u·10⁶ times, so a level at 10⁻⁴ (100 pairs) is known to about ±20 % (two
    // standard errors), and the reference sample of ~700,000 pairs adds as much again: within
    // 40 % of the reference, or 0.005 absolute for the common levels.
    truth.forEach((row, c) => row.forEach((t, k) => {
      const bound = Math.max(0.4 * t, 0.005);
      expect({ comparison: c, level: k, within: Math.abs(u[c]![k]! - t) <= bound }).toEqual({ comparison: c, level: k, within: true });
    }));
  });

  it('estimates the prior from the data and reports convergence', () => {
    // One record of each of 4,000 persons against them: 4,000 matching pairs of 16 million.
    expect(trained.model.prior).toBeGreaterThan(0.8 / PEOPLE);
    expect(trained.model.prior).toBeLessThan(1.1 / PEOPLE);
    for (const pass of trained.report.passes) {
      expect(pass).toMatchObject({ converged: true });
      expect(pass.iterations).toBeGreaterThan(0);
    }
    // Linking to a registry: every record here is of a registry person, and a person who
    // shares no blocking key with a record weighs far less than the model's average of 1.
    const byProbability = trained.model.thresholds.byProbability!;
    expect(byProbability.notInRegistry).toBeLessThan(0.02);
    expect(byProbability.strangers).toBeGreaterThan(0);
    expect(byProbability.strangers).toBeLessThan(0.5);
    // A pass blocked on a field does not estimate that field's comparisons.
    expect(trained.report.passes.find((p) => p.rule === 'phone')!.leftOut).toEqual(['phone']);
    expect(trained.report.comparisons.find((c) => c.name === 'phone')!.estimatedBy).toEqual(['date']);
  });
});
