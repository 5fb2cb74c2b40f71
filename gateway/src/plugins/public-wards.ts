/**
 * Ward-level small counts on the public page: a ward's 7-day case (or community case) count from
 * 1 to `SMALL_COUNT_BELOW - 1` is published as null with `suppressed: 'small'` ("fewer than 5"),
 * and every figure derived from its counts (its level) with it. Its district's totals are exact
 * and are the sum of its wards, so one hidden ward alone in its district could be worked out as
 * the district total minus the shown wards: then the shown ward with the smallest non-zero count
 * is hidden too (`suppressed: 'complementary'`), so the difference is always a sum of two or more
 * hidden counts. Residents are rounded to the nearest 100 and coverage to whole per cent. The same
 * holds one level up: a province's total is published exactly, so a district whose count is hidden
 * must not be the only one (`publicDistricts`).
 */
export const SMALL_COUNT_BELOW = 5;

type Row = Record<string, unknown>;
export type Suppressed = 'small' | 'complementary' | null;
/** A ward as published. */
export interface PublicWard {
  code: unknown; level: unknown; casesLast7Days: number | null; communityCasesLast7Days: number | null;
  suppressed: Suppressed; residents: number | null; vaccinationCoverage: number | null;
}

const round = (value: unknown, step: number) => (typeof value === 'number' ? Math.round(value / step) * step : null);
/** A share (0..1) as a share rounded to whole per cent. */
export const percent = (share: unknown) => (typeof share === 'number' ? Math.round(share * 100) / 100 : null);
const small = (n: number) => n > 0 && n < SMALL_COUNT_BELOW;
const MEASURES = ['casesLast7Days', 'communityCasesLast7Days'] as const;

/** One district's wards as published: small counts hidden, and one more where a single hidden count could be recovered. */
export function publicWards(wards: readonly Row[]): PublicWard[] {
  const count = (ward: Row, measure: (typeof MEASURES)[number]) => (ward[measure] as number | null) ?? 0;
  const hidden = new Map<Row, Exclude<Suppressed, null>>();
  // "small" says fewer than 5 cases; a ward hidden for its community count alone may have more.
  for (const ward of wards) {
    if (small(count(ward, 'casesLast7Days'))) hidden.set(ward, 'small');
    else if (small(count(ward, 'communityCasesLast7Days'))) hidden.set(ward, 'complementary');
  }
  // For each count, the district total minus the shown wards is the sum of the hidden wards'
  // counts: while exactly one hidden ward has a non-zero count, that sum is its count.
  for (const measure of MEASURES) {
    while ([...hidden.keys()].filter((w) => count(w, measure) > 0).length === 1) {
      const [smallest] = wards.filter((w) => !hidden.has(w) && count(w, measure) > 0).sort((a, b) => count(a, measure) - count(b, measure));
      if (!smallest) break; // the one ward with cases in its district: see `publicDistrict`
      hidden.set(smallest, 'complementary');
    }
  }
  return wards.map((ward) => {
    const suppressed = hidden.get(ward) ?? null;
    return {
      code: ward.code, level: suppressed ? null : ward.level,
      casesLast7Days: suppressed ? null : count(ward, 'casesLast7Days'),
      communityCasesLast7Days: suppressed ? null : count(ward, 'communityCasesLast7Days'),
      suppressed, residents: round(ward.residents, 100), vaccinationCoverage: percent(ward.vaccinationCoverage),
    };
  });
}

/**
 * A district as published. When a count's only non-zero ward is hidden, the district's total is
 * that ward's count: the district's count (and what derives from it) is hidden as well.
 */
export function publicDistrict(district: Row): Row {
  const wards = (district.wards as Row[] | undefined) ?? [];
  const shown = publicWards(wards);
  const exposes = (measure: (typeof MEASURES)[number]) => {
    const hiddenNonZero = wards.filter((w, i) => shown[i]!.suppressed && ((w[measure] as number | null) ?? 0) > 0);
    return hiddenNonZero.length === 1;
  };
  const hideCases = exposes('casesLast7Days');
  const hideCommunity = hideCases || exposes('communityCasesLast7Days');
  return {
    code: district.code, level: hideCases ? null : district.level,
    casesLast7Days: hideCases ? null : district.casesLast7Days,
    communityCasesLast7Days: hideCommunity ? null : district.communityCasesLast7Days,
    casesPer100k: hideCases ? null : district.casesPer100k,
    suppressed: !hideCases && !hideCommunity ? null : hideCases && small((district.casesLast7Days as number | null) ?? 0) ? 'small' : 'complementary',
    residents: district.residents, vaccinationCoverage: percent(district.vaccinationCoverage),
    wards: shown,
  };
}

type Measure = (typeof MEASURES)[number];

/**
 * A published district with its counts hidden, and every ward that has cases hidden with them;
 * with `everyWard`, every ward, all under one marker, so that none stands out as the one with
 * the cases ("small" when the district's cases are fewer than 5: true of each ward then).
 */
function hiddenDistrict(truth: Row, district: Row, everyWard: boolean): Row {
  const marker: Exclude<Suppressed, null> = everyWard && small((truth.casesLast7Days as number | null) ?? 0) ? 'small' : 'complementary';
  const wards = (district.wards as PublicWard[]).map((w) => {
    if (everyWard) return { ...w, level: null, casesLast7Days: null, communityCasesLast7Days: null, suppressed: marker };
    const hasCases = (w.casesLast7Days ?? 0) > 0 || (w.communityCasesLast7Days ?? 0) > 0;
    return hasCases ? { ...w, level: null, casesLast7Days: null, communityCasesLast7Days: null, suppressed: w.suppressed ?? 'complementary' } : w;
  });
  const stillSmall = district.suppressed === 'small' && district.casesLast7Days === null;
  return { ...district, level: null, casesLast7Days: null, communityCasesLast7Days: null, casesPer100k: null, suppressed: stillSmall ? 'small' : 'complementary', wards };
}

/**
 * A province's districts as published. The province's total is exact, so it minus the shown
 * districts is the sum of the hidden ones: while exactly one district with a count has it hidden,
 * the shown district with the smallest non-zero count is hidden too, with its wards that have
 * cases (`suppressed: 'complementary'`). When no other district has cases, the province's total
 * is that district's: its wards are all hidden under one marker, so the count cannot be placed
 * in one of them.
 */
export function publicDistricts(districts: readonly Row[]): Row[] {
  const shown = districts.map(publicDistrict);
  const value = (i: number, measure: Measure) => (districts[i]![measure] as number | null) ?? 0;
  const indexes = districts.map((_, i) => i);
  // Hiding a district for one count hides its other count too, which may leave that one alone:
  // until neither count has exactly one hidden district.
  for (let changed = true; changed;) {
    changed = false;
    for (const measure of MEASURES) {
      const hidden = indexes.filter((i) => shown[i]![measure] === null && value(i, measure) > 0);
      if (hidden.length !== 1) continue;
      const [other] = indexes.filter((i) => shown[i]![measure] !== null && value(i, measure) > 0).sort((a, b) => value(a, measure) - value(b, measure));
      const alone = hidden[0]!;
      if (other !== undefined) {
        shown[other] = hiddenDistrict(districts[other]!, shown[other]!, false);
        changed = true;
      } else if ((shown[alone]!.wards as PublicWard[]).some((w) => w.suppressed !== (shown[alone]!.wards as PublicWard[])[0]!.suppressed || !w.suppressed)) {
        shown[alone] = hiddenDistrict(districts[alone]!, shown[alone]!, true);
        changed = true;
      }
    }
  }
  return shown;
}
