import { PROVINCES } from '@health-hub/schema';
import type { SubgraphContext } from '@health-hub/subgraph-kit';
import type { CasesLoaders } from './loaders';
import { dailyReports, lateReports } from './report/daily-report';

type Context = SubgraphContext<CasesLoaders>;

const ALL_PROVINCES = PROVINCES.map((p) => p.code);

/** Daily provincial reports: `Query.dailyReports`, `Query.lateProvinces`, and the `ProvinceDailyReport` entity. */
export const reportResolvers = {
  Query: {
    dailyReports: (_: unknown, args: { from: string; to: string; provinceCode?: string | null }, ctx: Context) =>
      dailyReports(ctx.pool, args.from, args.to, args.provinceCode ? [args.provinceCode] : ALL_PROVINCES),
    lateProvinces: (_: unknown, args: { at?: Date | null }, ctx: Context) => lateReports(ctx.pool, args.at ?? new Date(), ALL_PROVINCES),
  },
  ProvinceDailyReport: {
    __resolveReference: (ref: { provinceCode: string; date: string }, ctx: Context) => ctx.loaders.dailyReport.load(`${ref.provinceCode}|${ref.date}`),
  },
};
