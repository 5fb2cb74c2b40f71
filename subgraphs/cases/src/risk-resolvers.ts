import { PROVINCES } from '@health-hub/schema';
import { HubError, type SubgraphContext } from '@health-hub/subgraph-kit';
import { CasesErrors } from './errors';
import type { CasesLoaders } from './loaders';
import { casesPer100k, communityShare, riskLevel, vaccinationCoverage, type RiskInputs, type RiskThresholds } from './risk/risk';

type Context = SubgraphContext<CasesLoaders>;

const ALL_PROVINCES = PROVINCES.map((p) => p.code);

/** A province's day in the risk map: the cases subgraph's figures, and the other subgraphs' when the gateway brings them. */
interface ProvinceRisk {
  provinceCode: string;
  date: string;
  casesLast7Days: number;
  communityCasesLast7Days: number;
  residents?: number;
  fullyVaccinated?: number;
}

/** A district's or ward's day: the same figures, keyed by the area's code. */
interface AreaRisk {
  code: string;
  date: string;
  casesLast7Days: number;
  communityCasesLast7Days: number;
  residents?: number;
  fullyVaccinated?: number;
}

/** A district code has 3 digits, a ward code 5 (the official structure the sources follow). */
const AREA_CODE = /^([0-9]{3}|[0-9]{5})$/;

/** An area's cases of the week ending `date`, through the request's loader (one statement per batch of areas). */
async function weekCases(ctx: Context, code: string, date: string): Promise<{ cases: number; community: number }> {
  return (await ctx.loaders.riskFigures.load(`${code}|${date}`)) ?? { cases: 0, community: 0 };
}

const inputs = (r: ProvinceRisk | AreaRisk): RiskInputs => ({
  casesLast7Days: r.casesLast7Days, communityCasesLast7Days: r.communityCasesLast7Days, residents: r.residents ?? 0, fullyVaccinated: r.fullyVaccinated ?? 0,
});

/**
 * The risk map: `Query.riskMap` and `Query.areaRisk`, and `ProvinceRisk` and `AreaRisk` (districts
 * and wards), whose level `@requires` residents (registry) and vaccinations (vaccination).
 */
export function riskResolvers(thresholds: Readonly<RiskThresholds>) {
  return {
    Query: {
      riskMap: async (_: unknown, args: { date: string; provinceCode?: string | null }, ctx: Context): Promise<ProvinceRisk[]> => {
        const provinces = args.provinceCode ? [args.provinceCode] : ALL_PROVINCES;
        return Promise.all(provinces.map(async (code) => {
          const f = await weekCases(ctx, code, args.date);
          return { provinceCode: code, date: args.date, casesLast7Days: f.cases, communityCasesLast7Days: f.community };
        }));
      },
      areaRisk: async (_: unknown, args: { code: string; date: string }, ctx: Context): Promise<AreaRisk> => {
        const code = args.code.trim();
        if (!AREA_CODE.test(code)) {
          throw new HubError(CasesErrors.BAD_ARGUMENT, `areaRisk: code must be a 3-digit district or 5-digit ward code; got ${JSON.stringify(args.code)}.`, { details: { field: 'code' } });
        }
        const f = await weekCases(ctx, code, args.date);
        return { code, date: args.date, casesLast7Days: f.cases, communityCasesLast7Days: f.community };
      },
    },
    ProvinceRisk: {
      __resolveReference: async (ref: ProvinceRisk, ctx: Context) => {
        const f = await weekCases(ctx, ref.provinceCode, ref.date);
        return { ...ref, casesLast7Days: f.cases, communityCasesLast7Days: f.community };
      },
      casesPer100k: (r: ProvinceRisk) => casesPer100k(inputs(r)),
      communityShare: (r: ProvinceRisk) => communityShare(inputs(r)),
      vaccinationCoverage: (r: ProvinceRisk) => vaccinationCoverage(inputs(r)),
      level: (r: ProvinceRisk) => riskLevel(inputs(r), thresholds),
    },
    AreaRisk: {
      __resolveReference: async (ref: AreaRisk, ctx: Context) => {
        const f = await weekCases(ctx, ref.code, ref.date);
        return { ...ref, casesLast7Days: f.cases, communityCasesLast7Days: f.community };
      },
      kind: (r: AreaRisk) => (r.code.length === 3 ? 'DISTRICT' : 'WARD'),
      casesPer100k: (r: AreaRisk) => casesPer100k(inputs(r)),
      communityShare: (r: AreaRisk) => communityShare(inputs(r)),
      vaccinationCoverage: (r: AreaRisk) => vaccinationCoverage(inputs(r)),
      level: (r: AreaRisk) => riskLevel(inputs(r), thresholds),
    },
  };
}
