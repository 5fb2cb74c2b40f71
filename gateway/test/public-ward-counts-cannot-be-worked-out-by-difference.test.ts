// The public page's ward figures: a small count is hidden with its level, and no hidden count can
// be recovered as its district's exact total minus the wards that are shown, nor as its province's
// exact total minus the districts that are shown.
import { publicDistrict, publicDistricts } from '../src/plugins/public-wards';

type Ward = { code: string; level: string; casesLast7Days: number; communityCasesLast7Days: number; residents: number; vaccinationCoverage: number };
const ward = (code: string, cases: number, community = 0): Ward => ({ code, level: cases > 0 ? 'MEDIUM' : 'LOW', casesLast7Days: cases, communityCasesLast7Days: community, residents: 4_321, vaccinationCoverage: 0.7345 });
const district = (code: string, wards: Ward[]) => ({
  code, level: 'HIGH', residents: 50_000, vaccinationCoverage: 0.71, casesPer100k: 12.5, wards,
  casesLast7Days: wards.reduce((n, w) => n + w.casesLast7Days, 0), communityCasesLast7Days: wards.reduce((n, w) => n + w.communityCasesLast7Days, 0),
});
type Published = { casesLast7Days: number | null; communityCasesLast7Days: number | null; level: unknown; wards: Array<{ code: string; level: unknown; casesLast7Days: number | null; communityCasesLast7Days: number | null; suppressed: unknown }> };

/** The hidden wards whose true count equals the district's published total minus its shown wards'. */
function recoverable(truth: ReturnType<typeof district>, published: Published): string[] {
  const found: string[] = [];
  for (const measure of ['casesLast7Days', 'communityCasesLast7Days'] as const) {
    const total = published[measure];
    if (total === null) continue;
    const difference = total - published.wards.reduce((n, w) => n + (w[measure] ?? 0), 0);
    const hidden = truth.wards.filter((w) => published.wards.find((p) => p.code === w.code)!.suppressed);
    // Hidden cases are never 0; a hidden community count of 0 next to other zeros tells nothing new.
    for (const w of hidden) if (w[measure] === difference && (measure === 'casesLast7Days' || difference > 0)) found.push(`${w.code}.${measure}`);
  }
  return found;
}

type PublishedDistrict = Published & { code: string; suppressed: unknown };

/**
 * The hidden wards an attacker can pin a count on from a province's exact totals: when exactly one
 * district's count is hidden, it is the province's total minus the shown districts; when that
 * district then has exactly one hidden ward, the rest of the difference is that ward's.
 */
function recoverableInProvince(truth: Array<ReturnType<typeof district>>, published: PublishedDistrict[]): string[] {
  const found: string[] = [];
  for (const measure of ['casesLast7Days', 'communityCasesLast7Days'] as const) {
    const total = truth.reduce((n, d) => n + d[measure], 0);
    const hidden = published.filter((d) => d[measure] === null);
    if (hidden.length !== 1) continue;
    const districtTotal = total - published.reduce((n, d) => n + (d[measure] ?? 0), 0);
    const hiddenWards = hidden[0]!.wards.filter((w) => w.suppressed);
    const rest = districtTotal - hidden[0]!.wards.reduce((n, w) => n + (w[measure] ?? 0), 0);
    if (hiddenWards.length === 1 && (measure === 'casesLast7Days' || rest > 0)) found.push(`${hiddenWards[0]!.code}.${measure}`);
  }
  return found;
}

describe('public ward counts', () => {
  it('hides a small count with its level, and the smallest other count of its district so the district total does not give it away', () => {
    const truth = district('760', [ward('26734', 3, 3), ward('26737', 10, 4), ward('26740', 20, 12), ward('26743', 0)]);
    const published = publicDistrict(truth) as unknown as Published;
    const byCode = new Map(published.wards.map((w) => [w.code, w]));
    expect(byCode.get('26734')).toMatchObject({ suppressed: 'small', casesLast7Days: null, communityCasesLast7Days: null, level: null, residents: 4_300, vaccinationCoverage: 0.73 });
    // Hidden for its community count (4) alone: its 10 cases are not "fewer than 5".
    expect(byCode.get('26737')).toMatchObject({ suppressed: 'complementary', casesLast7Days: null, level: null });
    // Two hidden wards with cases: the difference (13) is their sum, neither's count.
    expect(byCode.get('26740')).toMatchObject({ suppressed: null, casesLast7Days: 20, level: 'MEDIUM' });
    expect(published).toMatchObject({ casesLast7Days: 33, level: 'HIGH' });
    expect(recoverable(truth, published)).toEqual([]);

    const one = district('761', [ward('1', 2, 1), ward('2', 9, 6), ward('3', 5, 5), ward('4', 0)]);
    const shown = publicDistrict(one) as unknown as Published;
    expect(shown.wards.map((w) => w.suppressed)).toEqual(['small', null, 'complementary', null]);
    expect(shown.wards[2]).toMatchObject({ casesLast7Days: null, communityCasesLast7Days: null, level: null });
    expect(recoverable(one, shown)).toEqual([]);
  });

  it("hides a district's count when its one ward with cases is hidden", () => {
    const truth = district('762', [ward('1', 0), ward('2', 4, 1), ward('3', 0)]);
    const published = publicDistrict(truth) as unknown as Published;
    expect(published).toMatchObject({ casesLast7Days: null, communityCasesLast7Days: null, level: null, suppressed: 'small' });
    expect(recoverable(truth, published)).toEqual([]);
  });

  it("hides a second district when one district's hidden count is all the province total leaves unexplained", () => {
    // District 770's one ward with cases has 3: the province's exact total minus district 771 would give it away.
    const truth = [district('770', [ward('1', 0), ward('2', 3, 1), ward('3', 0)]), district('771', [ward('4', 12, 6), ward('5', 30, 9)]), district('772', [ward('6', 0)])];
    const published = publicDistricts(truth) as unknown as PublishedDistrict[];
    expect(published.map((d) => [d.code, d.casesLast7Days, d.suppressed])).toEqual([['770', null, 'small'], ['771', null, 'complementary'], ['772', 0, null]]);
    // 771's wards with cases are hidden with it, so its count cannot be summed from them.
    expect(published[1]!.wards.map((w) => [w.code, w.casesLast7Days, w.suppressed])).toEqual([['4', null, 'complementary'], ['5', null, 'complementary']]);
    expect(recoverableInProvince(truth, published)).toEqual([]);

    // The province's only district with cases: its total is the province's, so all its wards are
    // hidden under one marker (each has fewer than 5), and none stands out as the one with cases.
    const alone = [district('780', [ward('1', 0), ward('2', 2, 2), ward('3', 0)]), district('781', [ward('4', 0)])];
    const shownAlone = publicDistricts(alone) as unknown as PublishedDistrict[];
    expect(shownAlone[0]!.wards.map((w) => w.suppressed)).toEqual(['small', 'small', 'small']);
    expect(recoverableInProvince(alone, shownAlone)).toEqual([]);

    // Hidden as the complement, a district of 18 cases is not marked "fewer than 5".
    const mixed = publicDistricts([district('790', [ward('1', 3), ward('2', 0)]), district('791', [ward('3', 10, 2), ward('4', 8)])]) as unknown as PublishedDistrict[];
    expect(mixed.map((d) => [d.code, d.casesLast7Days, d.suppressed])).toEqual([['790', null, 'small'], ['791', null, 'complementary']]);
  });

  it('leaves no hidden count recoverable from the province total, over many generated provinces', () => {
    let seed = 11;
    const next = (below: number) => { seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648; return seed % below; };
    let checked = 0;
    for (let p = 0; p < 500; p++) {
      const truth = Array.from({ length: 1 + next(6) }, (_, d) => district(`${p}-${d}`, Array.from({ length: 1 + next(6) }, (_, i) => {
        const cases = [0, 0, 0, 1, 2, 3, 4, 6, 9, 15, 40][next(11)]!;
        return ward(`${p}-${d}-${i}`, cases, next(cases + 1));
      })));
      const published = publicDistricts(truth) as unknown as PublishedDistrict[];
      // A province whose count lies in one ward publishes it as its own exact total (the stated
      // rule: provinces are shown as counted); nothing below the province can hide it.
      const wards = truth.flatMap((d) => d.wards);
      if (wards.filter((w) => w.casesLast7Days > 0).length === 1 || wards.filter((w) => w.communityCasesLast7Days > 0).length === 1) continue;
      expect([p, recoverableInProvince(truth, published)]).toEqual([p, []]);
      for (const [i, d] of published.entries()) expect([d.code, recoverable(truth[i]!, d)]).toEqual([d.code, []]);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(350);
  });

  it('leaves no hidden count recoverable and no hidden ward with a level, over many generated districts', () => {
    let seed = 7;
    const next = (below: number) => { seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648; return seed % below; };
    for (let d = 0; d < 2_000; d++) {
      const wards = Array.from({ length: 1 + next(8) }, (_, i) => {
        const cases = [0, 0, 1, 2, 3, 4, 5, 6, 9, 15, 40][next(11)]!;
        return ward(`${d}-${i}`, cases, next(cases + 1));
      });
      const truth = district(String(d), wards);
      const published = publicDistrict(truth) as unknown as Published;
      expect([truth.code, recoverable(truth, published)]).toEqual([truth.code, []]);
      for (const w of published.wards) if (w.suppressed) expect([w.code, w.level, w.casesLast7Days, w.communityCasesLast7Days]).toEqual([w.code, null, null, null]);
      else expect([w.code, w.casesLast7Days! === 0 || w.casesLast7Days! >= 5]).toEqual([w.code, true]);
    }
  });
});
