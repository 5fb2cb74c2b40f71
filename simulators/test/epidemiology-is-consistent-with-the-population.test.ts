import { caseManagementFiles, citizenAppEvents, createPopulation, generateEpidemiology, PROVINCES, SUBMISSION_SHARES, trueCoLocated } from '../src';

const population = createPopulation({ seed: 5, size: 2_000 });
const epi = generateEpidemiology({ population, from: '2021-08-01', to: '2021-08-10' });

describe('generated epidemiology', () => {
  it('is a pure function of the population and options', () => {
    const again = generateEpidemiology({ population, from: '2021-08-01', to: '2021-08-10' });
    expect(again.checkIns).toEqual(epi.checkIns);
    expect(again.contacts).toEqual(epi.contacts);
  });

  it("confirms every case on a positive test of that person, and the population's cases are all there", () => {
    const codes = new Set(epi.cases.map((c) => c.caseCode));
    let expected = 0;
    for (let i = 0; i < population.size; i++) expected += population.cases(i).length;
    expect(codes.size).toBe(expected);
    for (const c of epi.cases) {
      const test = population.testResults(c.truth.personIndex).find((t) => `${t.source}:${t.sourceRecordId}` === c.confirmingTestId);
      expect(test?.result).toBe('POSITIVE');
      expect(Date.parse(test!.resultedAt)).toBeLessThanOrEqual(Date.parse(c.confirmedAt));
    }
  });

  it("names as F1s exactly the case's household, each quarantined from after confirmation", () => {
    for (const t of epi.contacts) {
      const c = epi.cases.find((x) => x.caseCode === t.caseCode)!;
      expect(population.person(t.truth.personIndex).householdId).toBe(population.person(c.truth.personIndex).householdId);
      expect(t.truth.personIndex).not.toBe(c.truth.personIndex);
    }
    for (const q of epi.quarantines) expect(Date.parse(q.endsAt)).toBeGreaterThan(Date.parse(q.startsAt));
  });

  it('keeps a case out of venues while isolated, and makes neighbours meet at venues', () => {
    for (const c of epi.cases) {
      const from = Date.parse(c.confirmedAt);
      const visits = epi.checkIns.filter((x) => x.truth.citizenId === c.truth.citizenId && Date.parse(x.checkedInAt) >= from && Date.parse(x.checkedInAt) < from + 14 * 86_400_000);
      expect(visits).toEqual([]);
    }
    const someone = epi.checkIns.find((x) => x.provinceCode === '79')!;
    expect(trueCoLocated(epi.checkIns, someone.truth.citizenId, '2021-07-31T17:00:00Z', '2021-08-10T16:59:59Z', 3_600_000).size).toBeGreaterThan(0);
    for (const x of epi.checkIns) if (x.checkedOutAt) expect(Date.parse(x.checkedOutAt)).toBeGreaterThan(Date.parse(x.checkedInAt));
  });

  it("has at most one daily report envelope per province and day, a few never sent, and a venue's registration before any check-in there", () => {
    const keys = epi.submissions.map((s) => `${s.provinceCode}|${s.date}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(epi.submissions.length).toBeLessThan(63 * 10);
    expect(epi.submissions.length).toBeGreaterThan(63 * 10 * 0.9);
    const events = citizenAppEvents(epi, population.seed, 0);
    const registered = new Set<string>();
    for (const e of events) {
      if (e.loai === 'DANG_KY_DIEM') registered.add(e.maDiem);
      if (e.loai === 'QUET_QR') expect(registered.has(e.maDiem)).toBe(true);
    }
    const files = caseManagementFiles(epi, population.seed);
    const names = [...files.keys()];
    expect(names).toEqual([...names].sort());
    for (const lines of files.values()) {
      const kinds = lines.map((l) => l.loai);
      if (kinds.includes('BAO_CAO_NGAY')) expect(kinds[0]).toBe('BAO_CAO_NGAY');
    }
  });

  it('has the provinces report on every day of the epidemic, mostly before 18:00, some late, a few never', () => {
    const wide = generateEpidemiology({ population, from: '2021-08-01', to: '2021-08-02', checkInsPerPersonDay: 0, reports: { from: '2021-01-01', to: '2022-06-30' } });
    const days = 546;
    const provinceDays = PROVINCES.length * days;
    const deadline = (date: string) => Date.parse(`${date}T18:00:00+07:00`);
    const onTime = wide.submissions.filter((s) => Date.parse(s.submittedAt) < deadline(s.date)).length / provinceDays;
    const late = wide.submissions.filter((s) => Date.parse(s.submittedAt) >= deadline(s.date)).length / provinceDays;
    const missing = 1 - wide.submissions.length / provinceDays;
    expect(onTime).toBeCloseTo(SUBMISSION_SHARES.onTime, 1);
    expect(late).toBeCloseTo(SUBMISSION_SHARES.lateEvening + SUBMISSION_SHARES.nextMorning, 1);
    expect(missing).toBeGreaterThan(0.02);
    expect(missing).toBeLessThan(0.04);
    // Every day with a case confirmed has most provinces' reports.
    const perDay = new Map<string, number>();
    for (const s of wide.submissions) perDay.set(s.date, (perDay.get(s.date) ?? 0) + 1);
    const caseDays = new Set(wide.cases.map((c) => new Date(Date.parse(c.confirmedAt) + 7 * 3_600_000).toISOString().slice(0, 10)));
    for (const day of caseDays) if (day >= '2021-01-01' && day <= '2022-06-30') expect([day, (perDay.get(day) ?? 0) > 50]).toEqual([day, true]);
    // A day's report does not depend on the window generated.
    const inWindow = (list: typeof wide.submissions) => list.filter((s) => s.date >= '2021-08-01' && s.date <= '2021-08-02');
    expect(inWindow(wide.submissions)).toEqual(inWindow(epi.submissions));
  });
});
