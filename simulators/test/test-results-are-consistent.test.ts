import { createPopulation, LABS, MAX_TESTS_PER_PERSON, type TestRecord } from '../src/index';

describe('test results over 60,000 people', () => {
  const N = 60_000;
  const pop = createPopulation({ seed: 29, size: N });
  const all: TestRecord[] = [];
  const perPerson: number[] = [];
  const caseConfirmations = new Map<number, string>();
  beforeAll(() => {
    for (let i = 0; i < N; i++) {
      const tests = pop.testResults(i);
      perPerson.push(tests.length);
      all.push(...tests);
      for (const c of pop.cases(i)) caseConfirmations.set(i, c.confirmedAt);
    }
  });

  it('gives each person 0 to 6 tests, about 3% of all tests positive', () => {
    expect(Math.max(...perPerson)).toBeLessThanOrEqual(MAX_TESTS_PER_PERSON);
    expect(perPerson.filter((n) => n === 0).length).toBeGreaterThan(0);
    const positive = all.filter((t) => t.result === 'POSITIVE').length / all.length;
    expect(positive).toBeGreaterThan(0.02);
    expect(positive).toBeLessThan(0.045);
  });

  it('reports results after sampling: minutes for antigen, hours for RT-PCR', () => {
    const bad = all.filter((t) => {
      const lag = (Date.parse(t.resultedAt) - Date.parse(t.sampledAt)) / 60_000;
      return t.method === 'RAPID_ANTIGEN' ? lag < 10 || lag > 60 : lag < 60 || lag > 48 * 60;
    });
    expect(bad.slice(0, 3)).toEqual([]);
    expect(all.filter((t) => t.sampledAt < '2021-01-01' || t.resultedAt > '2022-07-02')).toEqual([]);
  });

  it('comes from the two lab feeds, each lab always through the same one', () => {
    const feedOf = new Map(LABS.map((l) => [l.id, l.source]));
    expect(all.filter((t) => feedOf.get(t.labId) !== t.source)).toEqual([]);
    expect(new Set(all.map((t) => t.source))).toEqual(new Set(['lab-fhir', 'lab-csv']));
    expect(LABS.length).toBeGreaterThanOrEqual(12);
  });

  it('pools RT-PCR samples of neighbours: one pool, one day, one lab, one result', () => {
    const pools = new Map<string, TestRecord[]>();
    for (const t of all) {
      if (t.pooled !== (t.poolId !== null)) throw new Error(`pooled flag and poolId disagree: ${t.sourceRecordId}`);
      if (t.poolId === null) continue;
      if (t.method !== 'RT_PCR') throw new Error(`pooled ${t.method}`);
      const members = pools.get(t.poolId) ?? [];
      members.push(t);
      pools.set(t.poolId, members);
    }
    expect(pools.size).toBeGreaterThan(1_000);
    const inconsistent = [...pools.values()].filter(
      (m) =>
        new Set(m.map((t) => t.sampledAt.slice(0, 10))).size !== 1 ||
        new Set(m.map((t) => t.result)).size !== 1 ||
        new Set(m.map((t) => t.labId)).size !== 1 ||
        new Set(m.map((t) => t.truth.personIndex)).size !== m.length,
    );
    expect(inconsistent).toEqual([]);
    expect([...pools.values()].filter((m) => m.length > 8)).toEqual([]);
    expect([...pools.values()].filter((m) => m.length > 1).length / pools.size).toBeGreaterThan(0.8);
  });

  it('marks a pool positive only when a member is confirmed within three days', () => {
    const positivePools = new Map<string, TestRecord[]>();
    for (const t of all) if (t.poolId !== null && t.result === 'POSITIVE') positivePools.set(t.poolId, [...(positivePools.get(t.poolId) ?? []), t]);
    expect(positivePools.size).toBeGreaterThan(0);
    const unexplained = [...positivePools.entries()].filter(([, members]) =>
      !members.some((t) => {
        const confirmed = caseConfirmations.get(t.truth.personIndex);
        if (confirmed === undefined) return false;
        const gap = (Date.parse(confirmed) - Date.parse(t.sampledAt)) / 86_400_000;
        return gap >= -1 && gap <= 5;
      }),
    );
    expect(unexplained.map(([id]) => id)).toEqual([]);
  });

  it('names people by CCCD ~90% of the time, by demographics otherwise', () => {
    const demographic = all.filter((t) => t.personRef.kind === 'DEMOGRAPHIC').length / all.length;
    expect(demographic).toBeGreaterThan(0.07);
    expect(demographic).toBeLessThan(0.13);
    expect(all.filter((t) => t.personRef.kind !== 'DEMOGRAPHIC' && t.personRef.kind !== 'CITIZEN_ID')).toEqual([]);
  });
});
