import type { SubgraphContext } from '@health-hub/subgraph-kit';
import type { VaccinationLoaders } from './loaders';

/** A province's day as the cases subgraph keys its daily report. */
interface ReportKey {
  provinceCode: string;
  date: string;
}

/**
 * The vaccination platform's figure in the cases subgraph's daily provincial report: doses
 * given at the province's sites that day (the same count as `vaccinationCoverage`).
 */
export const dailyReportResolvers = {
  ProvinceDailyReport: {
    __resolveReference: (ref: ReportKey) => ({ provinceCode: ref.provinceCode, date: ref.date }),
    dosesGiven: (r: ReportKey, _: unknown, ctx: SubgraphContext<VaccinationLoaders>) => ctx.loaders.dosesGiven.load(`${r.provinceCode}|${r.date}`),
  },
};
