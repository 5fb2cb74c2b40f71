import { PROVINCES } from '@health-hub/schema';
import { HubError, type SubgraphContext } from '@health-hub/subgraph-kit';
import { CasesErrors } from './errors';
import type { CasesLoaders } from './loaders';
import { dailyReports, lateReports, localDateOf, recordSubmission } from './report/daily-report';

type Context = SubgraphContext<CasesLoaders>;

const ALL_PROVINCES = PROVINCES.map((p) => p.code);

/** Daily provincial reports: `Query.dailyReports`, `Query.lateProvinces`, `Mutation.submitDailyReport` and the `ProvinceDailyReport` entity. */
export const reportResolvers = {
  Query: {
    dailyReports: (_: unknown, args: { from: string; to: string; provinceCode?: string | null }, ctx: Context) =>
      dailyReports(ctx.pool, args.from, args.to, args.provinceCode ? [args.provinceCode] : ALL_PROVINCES),
    lateProvinces: (_: unknown, args: { at?: Date | null }, ctx: Context) => lateReports(ctx.pool, args.at ?? new Date(), ALL_PROVINCES),
  },
  Mutation: {
    submitDailyReport: async (_: unknown, args: { provinceCode: string; date: string }, ctx: Context) => {
      const own = ctx.caller.provinceCode;
      if (own && own !== args.provinceCode) {
        throw new HubError(CasesErrors.OUTSIDE_PROVINCE, `submitDailyReport: this partner sends province ${own}'s report only; it named ${args.provinceCode}.`, {
          details: { provinceCode: args.provinceCode, allowed: own },
        });
      }
      const today = localDateOf(new Date());
      if (args.date > today) {
        throw new HubError(CasesErrors.BAD_ARGUMENT, `submitDailyReport: ${args.date} is after today (${today}, Asia/Ho_Chi_Minh); a day is reported once it has begun.`, {
          details: { field: 'date' },
        });
      }
      await recordSubmission(ctx.pool, args.provinceCode, args.date, ctx.caller.partnerId);
      const [report] = await dailyReports(ctx.pool, args.date, args.date, [args.provinceCode]);
      return report;
    },
  },
  ProvinceDailyReport: {
    __resolveReference: (ref: { provinceCode: string; date: string }, ctx: Context) => ctx.loaders.dailyReport.load(`${ref.provinceCode}|${ref.date}`),
  },
};
