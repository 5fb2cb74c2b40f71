import { PROVINCES } from '@health-hub/schema';
import type { SubgraphContext } from '@health-hub/subgraph-kit';
import type { CasesLoaders } from './loaders';
import { casesLast7Days, casesPer100k, communityShare, riskLevel, vaccinationCoverage, type RiskInputs, type RiskThresholds } from './risk/risk';

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

const inputs = (r: ProvinceRisk): RiskInputs => ({
  casesLast7Days: r.casesLast7Days, communityCasesLast7Days: r.communityCasesLast7Days, residents: r.residents ?? 0, fullyVaccinated: r.fullyVaccinated ?? 0,
});

/** The risk map: `Query.riskMap`, and `ProvinceRisk` whose level `@requires` residents (registry) and vaccinations (vaccination). */
export function riskResolvers(thresholds: Readonly<RiskThresholds>) {
  return {
    Query: {
      riskMap: async (_: unknown, args: { date: string }, ctx: Context): Promise<ProvinceRisk[]> => {
        const figures = await casesLast7Days(ctx.pool, args.date, ALL_PROVINCES);
        return ALL_PROVINCES.map((code) => ({
          provinceCode: code, date: args.date, casesLast7Days: figures.get(code)?.cases ?? 0, communityCasesLast7Days: figures.get(code)?.community ?? 0,
        }));
      },
    },
    ProvinceRisk: {
      __resolveReference: async (ref: ProvinceRisk, ctx: Context) => {
        const f = await ctx.loaders.riskFigures.load(`${ref.provinceCode}|${ref.date}`);
        return { ...ref, casesLast7Days: f.cases, communityCasesLast7Days: f.community };
      },
      casesPer100k: (r: ProvinceRisk) => casesPer100k(inputs(r)),
      communityShare: (r: ProvinceRisk) => communityShare(inputs(r)),
      vaccinationCoverage: (r: ProvinceRisk) => vaccinationCoverage(inputs(r)),
      level: (r: ProvinceRisk) => riskLevel(inputs(r), thresholds),
    },
  };
}
