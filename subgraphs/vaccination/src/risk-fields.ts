import type { SubgraphContext } from '@health-hub/subgraph-kit';
import DataLoader from 'dataloader';
import { VACCINE_PRODUCTS, VACCINES } from './vaccines';

interface ProvinceDay {
  provinceCode: string;
  date: string;
}

/** A district (3-digit code) or ward (5-digit code) on a day: the key of `AreaRisk`. */
interface AreaDay {
  code: string;
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

const perRequestAreas = new WeakMap<object, DataLoader<string, number>>();

/**
 * People who completed a primary series up to a day and live in the district (3-digit code) or
 * ward (5-digit code), as they told the platform, per `code|date`: one statement per distinct
 * date, each area a range of its `resident_district` or `resident_ward` index.
 */
function areaCompletedLoader(ctx: SubgraphContext<object>): DataLoader<string, number> {
  let loader = perRequestAreas.get(ctx.loaders);
  if (!loader) {
    loader = new DataLoader<string, number>(async (keys) => {
      const byKey = new Map<string, number>();
      for (const date of new Set(keys.map((k) => k.split('|')[1]!))) {
        const codes = keys.filter((k) => k.endsWith(`|${date}`)).map((k) => k.split('|')[0]!);
        const { rows } = await ctx.pool.query<{ code: string; n: number }>(
          `WITH p (vaccine, primary_doses) AS (SELECT * FROM unnest($4::text[], $5::smallint[]))
           SELECT d.resident_district AS code, count(*)::int AS n FROM vaccination.dose d JOIN p ON p.vaccine = d.vaccine
            WHERE d.resident_district = ANY($2::text[]) AND d.administered_on <= $1::date AND d.dose_number = p.primary_doses GROUP BY 1
           UNION ALL
           SELECT d.resident_ward, count(*)::int FROM vaccination.dose d JOIN p ON p.vaccine = d.vaccine
            WHERE d.resident_ward = ANY($3::text[]) AND d.administered_on <= $1::date AND d.dose_number = p.primary_doses GROUP BY 1`,
          [date, codes.filter((c) => c.length === 3), codes.filter((c) => c.length === 5), VACCINE_PRODUCTS, VACCINE_PRODUCTS.map((v) => VACCINES[v].primarySeriesDoses)],
        );
        for (const r of rows) byKey.set(`${r.code}|${date}`, r.n);
      }
      return keys.map((k) => byKey.get(k) ?? 0);
    });
    perRequestAreas.set(ctx.loaders, loader);
  }
  return loader;
}

/**
 * The vaccination platform's figures in the risk map: people fully vaccinated (primary series)
 * by that day at the province's sites, and, for districts and wards, among the people who told
 * the platform they live there. The area is the platform's own record of where the person lives,
 * not the registry's: coverage per area then needs no person data from another subgraph and is
 * counted from an index, where joining every dose to the registry's addresses would mean moving
 * millions of citizen IDs through the gateway per query.
 */
export const riskResolvers = {
  ProvinceRisk: {
    __resolveReference: (ref: ProvinceDay) => ({ provinceCode: ref.provinceCode, date: ref.date }),
    fullyVaccinated: (r: ProvinceDay, _: unknown, ctx: SubgraphContext<object>) => completedLoader(ctx).load(`${r.provinceCode}|${r.date}`),
  },
  AreaRisk: {
    __resolveReference: (ref: AreaDay) => ({ code: ref.code, date: ref.date }),
    fullyVaccinated: (r: AreaDay, _: unknown, ctx: SubgraphContext<object>) => areaCompletedLoader(ctx).load(`${r.code}|${r.date}`),
  },
};
