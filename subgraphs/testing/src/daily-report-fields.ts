import type { SubgraphContext } from '@health-hub/subgraph-kit';
import DataLoader from 'dataloader';
import { testsByProvinceDay, type ProvinceDayTests } from './test-result-store';

/** A province's day as the cases subgraph keys its daily report. */
interface ReportKey {
  provinceCode: string;
  date: string;
}

type Figures = Pick<ProvinceDayTests, 'done' | 'positive'>;

// One loader per request, found by the request's loaders object.
const perRequest = new WeakMap<object, DataLoader<string, Figures>>();

/** Tests per `province|date`: one statement over the batch's provinces and range of days. */
function testsLoader(ctx: SubgraphContext<object>): DataLoader<string, Figures> {
  let loader = perRequest.get(ctx.loaders);
  if (!loader) {
    loader = new DataLoader<string, Figures>(async (keys) => {
      const parts = keys.map((k) => k.split('|') as [string, string]);
      const dates = parts.map(([, date]) => date).sort();
      const rows = await testsByProvinceDay(ctx.pool, {
        from: dates[0]!,
        to: dates[dates.length - 1]!,
        provinceCodes: [...new Set(parts.map(([province]) => province))],
      });
      const figures = new Map(rows.map((r) => [`${r.provinceCode}|${r.date}`, r]));
      return keys.map((k) => figures.get(k) ?? { done: 0, positive: 0 });
    });
    perRequest.set(ctx.loaders, loader);
  }
  return loader;
}

/**
 * The labs' figures in the cases subgraph's daily provincial report: results that came out
 * that local day at the labs licensed in the province.
 */
export const dailyReportResolvers = {
  ProvinceDailyReport: {
    __resolveReference: (ref: ReportKey) => ({ provinceCode: ref.provinceCode, date: ref.date }),
    testsDone: async (r: ReportKey, _: unknown, ctx: SubgraphContext<object>) => (await testsLoader(ctx).load(`${r.provinceCode}|${r.date}`)).done,
    testsPositive: async (r: ReportKey, _: unknown, ctx: SubgraphContext<object>) => (await testsLoader(ctx).load(`${r.provinceCode}|${r.date}`)).positive,
  },
};
