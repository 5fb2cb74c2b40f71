import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { IdentityErrors, loadModel, runTraining } from '../src/index';

const dir = mkdtempSync(join(tmpdir(), 'training-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const MODELS = resolve(__dirname, '../models');
const FEBRL1 = resolve(__dirname, '../../../shared/data/febrl/dataset1.csv');
const spec = JSON.parse(readFileSync(join(MODELS, 'febrl.spec.json'), 'utf8'));
const mapping = join(MODELS, 'febrl.mapping.json');
// Tests that do not read u draw fewer random pairs than the 499,500 there are.
const FEW = ['--random-pairs', '50000'];

describe('training a model through the linkage CLI', () => {
  it('writes a valid model and a report of every level and of convergence', async () => {
    const out = join(dir, 'febrl1.json');
    const trained = await runTraining(['--left', FEBRL1, '--mapping', mapping, '--model', join(MODELS, 'febrl.spec.json'), '--out', out]);
    const model = loadModel(out);
    expect(trained.reportPath).toBe(join(dir, 'febrl1.report.json'));
    const report = JSON.parse(readFileSync(trained.reportPath, 'utf8'));
    // 500 of the 1,000 records are copies of the other 500: 500 matching pairs of 499,500.
    expect(model.prior).toBeGreaterThan(0.9 * (500 / 499_500));
    expect(model.prior).toBeLessThan(1.1 * (500 / 499_500));
    // Thresholds not set by hand: a probability of 0.999 (auto-link) and 0.5 (review) under the prior.
    const logit2 = (p: number) => Math.log2(p / (1 - p));
    expect(model.thresholds.autoLink).toBeCloseTo(logit2(0.999) - logit2(model.prior), 2);
    expect(model.thresholds.review).toBeCloseTo(-logit2(model.prior), 2);
    for (const c of report.comparisons) {
      for (const l of c.levels) {
        expect(l).toEqual({ name: expect.any(String), m: expect.any(Number), u: expect.any(Number), weight: expect.any(Number), randomPairs: expect.any(Number), matchedPairs: expect.any(Number) });
        expect(l.weight).toBeCloseTo(Math.log2(l.m / l.u), 2);
      }
      // A field that agrees among copies far more than among strangers weighs for a match.
      expect(c.levels[0].weight).toBeGreaterThan(0);
      expect(c.levels.at(-1).weight).toBeLessThan(0);
    }
    for (const p of report.passes) expect(p).toMatchObject({ converged: true, iterations: expect.any(Number), finalChange: expect.any(Number) });
    // Names weigh by their frequency: the report gives the commonest with their weight.
    expect(report.comparisons.find((c: { name: string }) => c.name === 'surname').termFrequency[0].commonest).toHaveLength(3);
  });

  it('keeps hand-set comparisons and thresholds as given', async () => {
    const handSet = { ...spec, thresholds: { autoLink: 25, review: 12 }, comparisons: spec.comparisons.map((c: { name: string }) => (c.name === 'state' ? { ...c, fixed: true, levels: [{ name: 'equal', test: { kind: 'equal' }, m: 0.9, u: 0.25 }], otherwise: { m: 0.1, u: 0.75 } } : c)) };
    const out = join(dir, 'hand-set.json');
    const trained = await runTraining(['--left', FEBRL1, '--mapping', mapping, '--model', file('hand-set-spec.json', JSON.stringify(handSet)), '--out', out, ...FEW]);
    const state = loadModel(out).comparisons.find((c) => c.name === 'state')!;
    expect(state.levels[0]).toMatchObject({ m: 0.9, u: 0.25 });
    expect(state.otherwise).toEqual({ m: 0.1, u: 0.75 });
    expect(trained.model.thresholds).toMatchObject({ autoLink: 25, review: 12 });
    expect(trained.report.comparisons.find((c) => c.name === 'state')).toMatchObject({ handSet: true, estimatedBy: [] });
  });

  it('refuses to train without pairs', async () => {
    const one = file('one.csv', 'rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id\nrec-1-org, anna, smith, 1, main street, , city, 2000, nsw, 19800101, 1234567\n');
    await expect(runTraining(['--left', one, '--mapping', mapping, '--model', join(MODELS, 'febrl.spec.json'), '--out', join(dir, 'x.json')])).rejects.toMatchObject({
      code: IdentityErrors.BAD_TRAINING_DATA,
      message: expect.stringContaining('No pairs to train on'),
    });
  });

  it('refuses to train a comparison whose field no record has', async () => {
    const withoutDates = JSON.parse(readFileSync(mapping, 'utf8'));
    delete withoutDates.fields.birthDate;
    await expect(runTraining(['--left', FEBRL1, '--mapping', file('no-dates.json', JSON.stringify(withoutDates)), '--model', join(MODELS, 'febrl.spec.json'), '--out', join(dir, 'x.json')])).rejects.toMatchObject({
      code: IdentityErrors.BAD_TRAINING_DATA,
      message: expect.stringContaining('"birthDate", which no record of the file has'),
    });
  });

  it('refuses a comparison no blocking pass can estimate', async () => {
    // Every rule blocks on the surname: no pass can say how often copies' surnames agree.
    const surnameEverywhere = { ...spec, blocking: { ...spec.blocking, rules: [{ name: 'surname', keys: [{ field: 'surname' }] }, { name: 'surname-dob', keys: [{ field: 'surname' }, { field: 'birthDate' }] }] } };
    await expect(runTraining(['--left', FEBRL1, '--mapping', mapping, '--model', file('surname-everywhere.json', JSON.stringify(surnameEverywhere)), '--out', join(dir, 'x.json'), ...FEW])).rejects.toMatchObject({
      code: IdentityErrors.BAD_TRAINING_DATA,
      message: expect.stringContaining('Comparison "surname": no blocking pass estimated its m'),
    });
  });

  it('refuses a hand-set comparison without its m and u', async () => {
    const missing = { ...spec, comparisons: spec.comparisons.map((c: { name: string }) => (c.name === 'state' ? { ...c, fixed: true } : c)) };
    await expect(runTraining(['--left', FEBRL1, '--mapping', mapping, '--model', file('missing.json', JSON.stringify(missing)), '--out', join(dir, 'x.json')])).rejects.toMatchObject({
      code: IdentityErrors.BAD_MODEL,
      message: expect.stringMatching(/comparisons\.7\.levels\.0\.m/),
    });
  });
});
