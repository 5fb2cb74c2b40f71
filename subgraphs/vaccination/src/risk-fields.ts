import type { Queryable, SubgraphContext } from '@health-hub/subgraph-kit';
import type { VaccinationLoaders } from './loaders';

type Context = SubgraphContext<VaccinationLoaders>;

/** A province on a day, with its districts as the registry lists them (the `@requires` of `fullyVaccinated`). */
interface ProvinceDay {
  provinceCode: string;
  date: string;
  districts?: ReadonlyArray<{ code: string }>;
}

/** A district (3-digit code) or ward (5-digit code) on a day: the key of `AreaRisk`. */
interface AreaDay {
  code: string;
  date: string;
}

/** An area's count on a day, keyed `code|date`. */
export interface AreaDayCount {
  key: string;
  people: number;
}

/** The loader key of an area on a day. */
export const areaDayKey = (code: string, date: string) => `${code}|${date}`;

/**
 * People who completed a primary series by each key's day and live in its district (3-digit
 * code) or ward (5-digit code), as they told the platform, per `code|date` key: one statement
 * for the whole batch. The dose table's triggers keep the counts per area and month and per area
 * and day: each key reads the whole months before its day's month (one range of
 * `series_completed_by_area_month`) and the days of that month up to the day (one range of
 * `series_completed_by_area`), so at most a few dozen index entries whatever the doses.
 */
export async function seriesCompletedByArea(db: Queryable, keys: readonly string[]): Promise<AreaDayCount[]> {
  const parts = keys.map((k) => k.split('|') as [string, string]);
  const { rows } = await db.query<AreaDayCount>(
    `SELECT k.code || '|' || k.day AS key, (coalesce(m.people, 0) + coalesce(d.people, 0))::int AS people
       FROM unnest($1::text[], $2::text[]) AS k (code, day)
      CROSS JOIN LATERAL (SELECT sum(people) AS people FROM vaccination.series_completed_by_area_month
                           WHERE area_code = k.code AND month < vaccination.month_of(k.day::date)) m
      CROSS JOIN LATERAL (SELECT sum(people) AS people FROM vaccination.series_completed_by_area
                           WHERE area_code = k.code AND completed_on >= vaccination.month_of(k.day::date) AND completed_on <= k.day::date) d`,
    [parts.map(([code]) => code), parts.map(([, day]) => day)],
  );
  return rows;
}

/**
 * The vaccination platform's figures in the risk map: people fully vaccinated (primary series)
 * by that day who live in the area, as they told the platform when the dose completing the
 * series was recorded. Every level counts by residence alike: a province's figure is the sum of
 * its districts' (the districts the registry lists for it, which the field `@requires`), so a
 * province, its districts and their wards add up, wherever the doses were given.
 */
export const riskResolvers = {
  ProvinceRisk: {
    __resolveReference: (ref: ProvinceDay) => ref,
    fullyVaccinated: async (r: ProvinceDay, _: unknown, ctx: Context) => {
      const counts = await ctx.loaders.seriesCompleted.loadMany((r.districts ?? []).map((d) => areaDayKey(d.code, r.date)));
      return counts.reduce<number>((sum, c) => {
        if (c instanceof Error) throw c;
        return sum + (c?.people ?? 0);
      }, 0);
    },
  },
  AreaRisk: {
    __resolveReference: (ref: AreaDay) => ({ code: ref.code, date: ref.date }),
    fullyVaccinated: async (r: AreaDay, _: unknown, ctx: Context) => (await ctx.loaders.seriesCompleted.load(areaDayKey(r.code, r.date)))?.people ?? 0,
  },
};
