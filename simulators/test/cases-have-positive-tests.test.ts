import { createPopulation, type CaseRecord, type TestRecord, type VaccinationRecord } from '../src/index';

describe('cases over 100,000 people', () => {
  const N = 100_000;
  const pop = createPopulation({ seed: 23, size: N });
  const cases: Array<{ c: CaseRecord; tests: TestRecord[]; doses: VaccinationRecord[] }> = [];
  beforeAll(() => {
    for (let i = 0; i < N; i++) {
      const found = pop.cases(i);
      for (const c of found) cases.push({ c, tests: pop.testResults(i), doses: pop.vaccinations(i) });
    }
  });

  it('affects about 4% of people', () => {
    expect(cases.length / N).toBeGreaterThan(0.035);
    expect(cases.length / N).toBeLessThan(0.045);
  });

  it('is confirmed by a POSITIVE test of that person, at its result time or up to a day later', () => {
    const problems: string[] = [];
    for (const { c, tests } of cases) {
      const confirming = tests.find((t) => t.sourceRecordId === c.confirmingTestRecordId);
      if (confirming === undefined) {
        problems.push(`${c.caseCode}: no test ${c.confirmingTestRecordId}`);
        continue;
      }
      const lag = Date.parse(c.confirmedAt) - Date.parse(confirming.resultedAt);
      if (confirming.result !== 'POSITIVE' || confirming.truth.personIndex !== c.truth.personIndex || lag < 0 || lag > 86_400_000) {
        problems.push(`${c.caseCode}: ${confirming.result} lag ${lag}`);
      }
      if (!tests.some((t) => t.result === 'POSITIVE' && t.sampledAt <= c.confirmedAt)) problems.push(`${c.caseCode}: no earlier positive`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('mostly recovers; some stay under treatment; ~0.5% die, nobody is tested or vaccinated after death', () => {
    const status = new Map<string, number>();
    for (const { c } of cases) status.set(c.status, (status.get(c.status) ?? 0) + 1);
    expect((status.get('RECOVERED') ?? 0) / cases.length).toBeGreaterThan(0.85);
    expect(status.get('UNDER_TREATMENT') ?? 0).toBeGreaterThan(0);
    const deceased = cases.filter(({ c }) => c.status === 'DECEASED');
    expect(deceased.length / cases.length).toBeGreaterThan(0.001);
    expect(deceased.length / cases.length).toBeLessThan(0.015);
    const afterDeath = deceased.filter(
      ({ c, tests, doses }) => tests.some((t) => t.sampledAt > c.sourceUpdatedAt) || doses.some((d) => d.administeredOn > c.sourceUpdatedAt.slice(0, 10)),
    );
    expect(afterDeath).toEqual([]);
  });

  it('has well-formed fields', () => {
    const bad = cases.filter(
      ({ c }) =>
        !/^BN\d+$/.test(c.caseCode) ||
        c.sourceRecordId !== c.caseCode ||
        c.personRef.kind !== 'CITIZEN_ID' ||
        c.treatmentPlace.length === 0 ||
        !/^\d{2}$/.test(c.provinceCode) ||
        c.sourceUpdatedAt < c.confirmedAt ||
        new Date(c.confirmedAt).toISOString() !== c.confirmedAt,
    );
    expect(bad).toEqual([]);
  });
});
