import type { SubgraphContext } from '@health-hub/subgraph-kit';
import DataLoader from 'dataloader';
import { VACCINE_PRODUCTS, VACCINES } from './vaccines';

interface ProvinceDay {
  provinceCode: string;
  date: string;
}

const perRequest = new WeakMap<object, DataLoader<string, number>>();

/**
 * People who completed a primary series at the province's sites up to a day, per
 * `province|date`: one statement per distinct date in the batch.
 */
function completedLoader(ctx: SubgraphContext<object>): DataLoader<string, number> {
  let loader = perRequest.get(ctx.loaders);
  if (!loader) {
    loader = new DataLoader<string, number>(async (keys) => {
      const byKey = new Map<string, number>();
      for (const date of new Set(keys.map((k) => k.split('|')[1]!))) {
        const provinces = keys.filter((k) => k.endsWith(`|${date}`)).map((k) => k.split('|')[0]!);
        const { rows } = await ctx.pool.query<{ code: string; n: number }>(
          `SELECT d.site_province AS code, count(*)::int AS n
             FROM vaccination.dose d JOIN unnest($3::text[], $4::smallint[]) AS p (vaccine, primary_doses) ON p.vaccine = d.vaccine
            WHERE d.dose_number = p.primary_doses AND d.administered_on <= $1::date AND d.site_province = ANY($2::text[])
            GROUP BY 1`,
          [date, provinces, VACCINE_PRODUCTS, VACCINE_PRODUCTS.map((v) => VACCINES[v].primarySeriesDoses)],
        );
        for (const r of rows) byKey.set(`${r.code}|${date}`, r.n);
      }
      return keys.map((k) => byKey.get(k) ?? 0);
    });
    perRequest.set(ctx.loaders, loader);
  }
  return loader;
}

/** The vaccination platform's figure in the risk map: people fully vaccinated (primary series) at the province's sites by that day. */
export const riskResolvers = {
  ProvinceRisk: {
    __resolveReference: (ref: ProvinceDay) => ({ provinceCode: ref.provinceCode, date: ref.date }),
    fullyVaccinated: (r: ProvinceDay, _: unknown, ctx: SubgraphContext<object>) => completedLoader(ctx).load(`${r.provinceCode}|${r.date}`),
  },
};
