import type { SubgraphContext } from '@health-hub/subgraph-kit';
import type { TestingLoaders } from './loaders';

/** A province's day as the cases subgraph keys its daily report. */
interface ReportKey {
  provinceCode: string;
  date: string;
}

type Context = SubgraphContext<TestingLoaders>;

/**
 * The labs' figures in the cases subgraph's daily provincial report: results that came out
 * that local day at the labs licensed in the province.
 */
export const dailyReportResolvers = {
  ProvinceDailyReport: {
    __resolveReference: (ref: ReportKey) => ({ provinceCode: ref.provinceCode, date: ref.date }),
    testsDone: async (r: ReportKey, _: unknown, ctx: Context) => (await ctx.loaders.testsByProvinceDay.load(`${r.provinceCode}|${r.date}`)).done,
    testsPositive: async (r: ReportKey, _: unknown, ctx: Context) => (await ctx.loaders.testsByProvinceDay.load(`${r.provinceCode}|${r.date}`)).positive,
  },
};
