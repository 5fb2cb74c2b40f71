import { BOOSTER_MIN_INTERVAL_DAYS, createPopulation, PROVINCES, VACCINES, type Person, type VaccinationRecord } from '../src/index';

const DAY = 86_400_000;
const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY);

describe('vaccinations over 50,000 people', () => {
  const N = 50_000;
  const pop = createPopulation({ seed: 17, size: N });
  const people: Array<{ person: Person; doses: VaccinationRecord[]; card: string | null }> = [];
  beforeAll(() => {
    for (let i = 0; i < N; i++) {
      people.push({ person: pop.person(i), doses: pop.vaccinations(i), card: pop.insuranceCard(i)?.socialInsuranceCode ?? null });
    }
  });

  it('numbers doses 1..n in date order, from 8 March 2021 to 30 June 2022', () => {
    const bad = people.filter(({ doses }) =>
      doses.some(
        (d, k) =>
          d.doseNumber !== k + 1 ||
          d.administeredOn < '2021-03-08' ||
          d.administeredOn > '2022-06-30' ||
          (k > 0 && d.administeredOn <= doses[k - 1]!.administeredOn),
      ),
    );
    expect(bad).toEqual([]);
    expect(people.filter(({ doses }) => doses.length > 4)).toEqual([]);
  });

  it('keeps primary-series intervals within the product bounds and boosters after the minimum gap', () => {
    const problems: string[] = [];
    for (const { doses } of people) {
      if (doses.length === 0) continue;
      const v = VACCINES.find((x) => x.product === doses[0]!.vaccine)!;
      for (let k = 1; k < doses.length; k++) {
        const gap = days(doses[k - 1]!.administeredOn, doses[k]!.administeredOn);
        if (k < v.primaryDoses) {
          if (doses[k]!.vaccine !== v.product || gap < v.minIntervalDays || gap > v.maxIntervalDays) problems.push(`${v.product} dose ${k + 1} after ${gap} d`);
        } else if (gap < BOOSTER_MIN_INTERVAL_DAYS) {
          problems.push(`booster ${k + 1} after ${gap} d`);
        }
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('reaches ~85% of adults with two or more doses, children 5–11 only from April 2022, under-5s never', () => {
    const adults = people.filter(({ person }) => person.birthYear <= 2003);
    const twoDoses = adults.filter(({ doses }) => doses.length >= 2).length / adults.length;
    expect(twoDoses).toBeGreaterThan(0.8);
    expect(twoDoses).toBeLessThan(0.9);
    const children = people.filter(({ person }) => person.birthYear >= 2010 && person.birthYear <= 2016);
    expect(children.filter(({ doses }) => doses.some((d) => d.administeredOn < '2022-04-01'))).toEqual([]);
    expect(children.some(({ doses }) => doses.length > 0)).toBe(true);
    expect(people.filter(({ person, doses }) => person.birthYear >= 2017 && doses.length > 0)).toEqual([]);
    const boosted = adults.filter(({ doses }) => doses.length >= 3).length / adults.length;
    expect(boosted).toBeGreaterThan(0.4);
  });

  it('uses a plausible product mix led by Vaxzevria, Comirnaty, Vero Cell and Spikevax', () => {
    const byProduct = new Map<string, number>();
    for (const { doses } of people) for (const d of doses) byProduct.set(d.vaccine, (byProduct.get(d.vaccine) ?? 0) + 1);
    const top4 = [...byProduct.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([p]) => p).sort();
    expect(top4).toEqual(['Comirnaty', 'Spikevax', 'Vaxzevria', 'Vero Cell']);
    for (const { doses } of people) {
      for (const d of doses) {
        const v = VACCINES.find((x) => x.product === d.vaccine)!;
        if (d.manufacturer !== v.manufacturer || d.lot.length < 4 || !PROVINCES.some((p) => p.code === d.siteProvinceCode)) throw new Error(JSON.stringify(d));
      }
    }
  });

  it('names the person mostly by CCCD, otherwise by CMND, insurance code or demographics that are really theirs', () => {
    const kinds = new Map<string, number>();
    let total = 0;
    const wrong: string[] = [];
    for (const { person, doses, card } of people) {
      for (const d of doses) {
        total++;
        const ref = d.personRef;
        kinds.set(ref.kind, (kinds.get(ref.kind) ?? 0) + 1);
        if (d.truth.personIndex !== person.index || d.truth.citizenId !== person.citizenId) wrong.push('truth');
        if (ref.kind === 'CITIZEN_ID' && ref.citizenId !== person.citizenId) wrong.push('cccd');
        if (ref.kind === 'OLD_ID' && ref.oldId !== person.oldId) wrong.push('cmnd');
        if (ref.kind === 'INSURANCE' && ref.socialInsuranceCode !== card) wrong.push('insurance');
        if (ref.kind === 'DEMOGRAPHIC' && (ref.birthYear !== person.birthYear || (ref.birthDate !== null && ref.birthDate !== person.birthDate))) wrong.push('demographic');
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    const share = (k: string) => (kinds.get(k) ?? 0) / total;
    expect(share('CITIZEN_ID')).toBeGreaterThan(0.75);
    expect(share('OLD_ID')).toBeGreaterThan(0.05);
    expect(share('INSURANCE')).toBeGreaterThan(0.03);
    expect(share('DEMOGRAPHIC')).toBeGreaterThan(0.03);
  });
});
