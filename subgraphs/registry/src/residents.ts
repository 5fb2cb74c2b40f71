import type { SubgraphContext } from '@health-hub/subgraph-kit';
import DataLoader from 'dataloader';

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
interface AreaCount {
  residents: number;
  parentCode: string | null;
}

interface Loaders {
  provinces: DataLoader<string, number>;
  areas: DataLoader<string, AreaCount>;
  districtsOf: DataLoader<string, string[]>;
  wardsOf: DataLoader<string, string[]>;
}

// One set of loaders per request, found by the request's loaders object.
const perRequest = new WeakMap<object, Loaders>();

/**
 * Reads of `registry.residents_by_ward`, the per-ward counts the person table's triggers keep
 * at ingest: one statement per batch of provinces, of areas, or of parents whose units are listed.
 */
function loaders(ctx: SubgraphContext<object>): Loaders {
  let l = perRequest.get(ctx.loaders);
  if (l) return l;
  const db = ctx.pool;
  l = {
    provinces: new DataLoader(async (codes) => {
      const { rows } = await db.query<{ code: string; n: number }>(
        'SELECT province_code AS code, sum(residents)::int AS n FROM registry.residents_by_ward WHERE province_code = ANY($1::text[]) GROUP BY 1',
        [codes],
      );
      const byCode = new Map(rows.map((r) => [r.code, r.n]));
      return codes.map((c) => byCode.get(c) ?? 0);
    }),
    areas: new DataLoader(async (codes) => {
      const { rows } = await db.query<{ code: string; n: number; parent: string }>(
        `SELECT district_code AS code, sum(residents)::int AS n, min(province_code) AS parent
           FROM registry.residents_by_ward WHERE district_code = ANY($1::text[]) GROUP BY 1
         UNION ALL
         SELECT ward_code, residents, district_code FROM registry.residents_by_ward WHERE ward_code = ANY($2::text[])`,
        [codes.filter((c) => c.length === 3), codes.filter((c) => c.length === 5)],
      );
      const byCode = new Map(rows.map((r) => [r.code, { residents: r.n, parentCode: r.parent }]));
      return codes.map((c) => byCode.get(c) ?? { residents: 0, parentCode: null });
    }),
    districtsOf: new DataLoader(async (provinces) => {
      const { rows } = await db.query<{ parent: string; codes: string[] }>(
        `SELECT province_code AS parent, array_agg(DISTINCT district_code ORDER BY district_code) AS codes
           FROM registry.residents_by_ward WHERE province_code = ANY($1::text[]) AND residents > 0 GROUP BY 1`,
        [provinces],
      );
      const byParent = new Map(rows.map((r) => [r.parent, r.codes]));
      return provinces.map((p) => byParent.get(p) ?? []);
    }),
    wardsOf: new DataLoader(async (districts) => {
      const { rows } = await db.query<{ parent: string; codes: string[] }>(
        `SELECT district_code AS parent, array_agg(ward_code ORDER BY ward_code) AS codes
           FROM registry.residents_by_ward WHERE district_code = ANY($1::text[]) AND residents > 0 GROUP BY 1`,
        [districts],
      );
      const byParent = new Map(rows.map((r) => [r.parent, r.codes]));
      return districts.map((d) => byParent.get(d) ?? []);
    }),
  };
  perRequest.set(ctx.loaders, l);
  return l;
}

/**
 * The registry's part of the risk map: how many people live in each province, district and
 * ward (at their current address, else their permanent one), and which districts and wards a
 * province and a district have (those where anyone lives: the registry holds no other list of
 * administrative units).
 */
export const residentResolvers = {
  ProvinceRisk: {
    __resolveReference: (ref: ProvinceDay) => ({ provinceCode: ref.provinceCode, date: ref.date }),
    residents: (r: ProvinceDay, _: unknown, ctx: SubgraphContext<object>) => loaders(ctx).provinces.load(r.provinceCode),
    districts: async (r: ProvinceDay, _: unknown, ctx: SubgraphContext<object>): Promise<AreaDay[]> =>
      (await loaders(ctx).districtsOf.load(r.provinceCode)).map((code) => ({ code, date: r.date })),
  },
  AreaRisk: {
    __resolveReference: (ref: AreaDay) => ({ code: ref.code, date: ref.date }),
    residents: async (r: AreaDay, _: unknown, ctx: SubgraphContext<object>) => (await loaders(ctx).areas.load(r.code)).residents,
    parentCode: async (r: AreaDay, _: unknown, ctx: SubgraphContext<object>) => (await loaders(ctx).areas.load(r.code)).parentCode,
    wards: async (r: AreaDay, _: unknown, ctx: SubgraphContext<object>): Promise<AreaDay[]> =>
      r.code.length === 3 ? (await loaders(ctx).wardsOf.load(r.code)).map((code) => ({ code, date: r.date })) : [],
  },
};
