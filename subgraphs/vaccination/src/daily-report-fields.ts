import type { SubgraphContext } from '@health-hub/subgraph-kit';
import DataLoader from 'dataloader';
import { coverageByDay } from './dose-store';

/** A province's day as the cases subgraph keys its daily report. */
interface ReportKey {
  provinceCode: string;
  date: string;
}

// One loader per request, found by the request's loaders object.
const perRequest = new WeakMap<object, DataLoader<string, number>>();

/** Doses given per `province|date`: one coverage statement over the batch's range of days. */
function dosesLoader(ctx: SubgraphContext<object>): DataLoader<string, number> {
  let loader = perRequest.get(ctx.loaders);
  if (!loader) {
    loader = new DataLoader<string, number>(async (keys) => {
      const dates = keys.map((k) => k.split('|')[1]!).sort();
      const days = await coverageByDay(ctx.pool, { from: dates[0]!, to: dates[dates.length - 1]! });
      const doses = new Map(days.map((d) => [`${d.provinceCode}|${d.date}`, Number(d.doses)]));
      return keys.map((k) => doses.get(k) ?? 0);
    });
    perRequest.set(ctx.loaders, loader);
  }
  return loader;
}

/**
 * The vaccination platform's figure in the cases subgraph's daily provincial report: doses
 * given at the province's sites that day (the same count as `vaccinationCoverage`).
 */
export const dailyReportResolvers = {
  ProvinceDailyReport: {
    __resolveReference: (ref: ReportKey) => ({ provinceCode: ref.provinceCode, date: ref.date }),
    dosesGiven: (r: ReportKey, _: unknown, ctx: SubgraphContext<object>) => dosesLoader(ctx).load(`${r.provinceCode}|${r.date}`),
  },
};
