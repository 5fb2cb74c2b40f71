import type { Queryable, SubgraphContext } from '@health-hub/subgraph-kit';
import type { RegistryLoaders } from './loaders';

type Context = SubgraphContext<RegistryLoaders>;

interface ProvinceDay {
  provinceCode: string;
  date: string;
}

/** A district (3-digit code) or ward (5-digit code) on a day: the key of `AreaRisk`. */
interface AreaDay {
  code: string;
  date: string;
}

/** What the registry knows of an area: its residents and the unit it lies in. */
export interface AreaCount {
  code: string;
  residents: number;
  parentCode: string | null;
}

/** The units listed under a province (its districts) or a district (its wards). */
export interface AreaUnits {
  parentCode: string;
  codes: string[];
}

// Every read below is of `registry.residents_by_ward`, the per-ward counts the person and merge
// tables' triggers keep at ingest: a few rows per area whatever the population, one statement per batch.

/** Residents of each province, summed over its wards. */
export async function provinceResidents(db: Queryable, codes: readonly string[]): Promise<AreaCount[]> {
  const { rows } = await db.query<AreaCount>(
    `SELECT province_code AS code, sum(residents)::int AS residents, NULL AS "parentCode"
       FROM registry.residents_by_ward WHERE province_code = ANY($1::text[]) GROUP BY 1`,
    [codes],
  );
  return rows;
}

/** Residents of each district (3-digit code) or ward (5-digit code), with the province or district it lies in. */
export async function areaResidents(db: Queryable, codes: readonly string[]): Promise<AreaCount[]> {
  const { rows } = await db.query<AreaCount>(
    `SELECT district_code AS code, sum(residents)::int AS residents, min(province_code) AS "parentCode"
       FROM registry.residents_by_ward WHERE district_code = ANY($1::text[]) GROUP BY 1
     UNION ALL
     SELECT ward_code, residents, district_code FROM registry.residents_by_ward WHERE ward_code = ANY($2::text[])`,
    [codes.filter((c) => c.length === 3), codes.filter((c) => c.length === 5)],
  );
  return rows;
}

/** The districts of each province where anyone lives, in code order. */
export async function districtsOf(db: Queryable, provinces: readonly string[]): Promise<AreaUnits[]> {
  const { rows } = await db.query<AreaUnits>(
    `SELECT province_code AS "parentCode", array_agg(DISTINCT district_code ORDER BY district_code) AS codes
       FROM registry.residents_by_ward WHERE province_code = ANY($1::text[]) AND residents > 0 GROUP BY 1`,
    [provinces],
  );
  return rows;
}

/** The wards of each district where anyone lives, in code order. */
export async function wardsOf(db: Queryable, districts: readonly string[]): Promise<AreaUnits[]> {
  const { rows } = await db.query<AreaUnits>(
    `SELECT district_code AS "parentCode", array_agg(ward_code ORDER BY ward_code) AS codes
       FROM registry.residents_by_ward WHERE district_code = ANY($1::text[]) AND residents > 0 GROUP BY 1`,
    [districts],
  );
  return rows;
}

/**
 * The registry's part of the risk map: how many people live in each province, district and
 * ward (at their current address, else their permanent one; a person merged into another counts
 * once, as the survivor), and which districts and wards a province and a district have (those
 * where anyone lives: the registry holds no other list of administrative units).
 */
export const residentResolvers = {
  ProvinceRisk: {
    __resolveReference: (ref: ProvinceDay) => ({ provinceCode: ref.provinceCode, date: ref.date }),
    residents: async (r: ProvinceDay, _: unknown, ctx: Context) => (await ctx.loaders.provinceResidents.load(r.provinceCode))?.residents ?? 0,
    districts: async (r: ProvinceDay, _: unknown, ctx: Context): Promise<AreaDay[]> =>
      ((await ctx.loaders.districtsOf.load(r.provinceCode))?.codes ?? []).map((code) => ({ code, date: r.date })),
  },
  AreaRisk: {
    __resolveReference: (ref: AreaDay) => ({ code: ref.code, date: ref.date }),
    residents: async (r: AreaDay, _: unknown, ctx: Context) => (await ctx.loaders.areaResidents.load(r.code))?.residents ?? 0,
    parentCode: async (r: AreaDay, _: unknown, ctx: Context) => (await ctx.loaders.areaResidents.load(r.code))?.parentCode ?? null,
    wards: async (r: AreaDay, _: unknown, ctx: Context): Promise<AreaDay[]> =>
      r.code.length === 3 ? ((await ctx.loaders.wardsOf.load(r.code))?.codes ?? []).map((code) => ({ code, date: r.date })) : [],
  },
};
