import type { SubgraphContext } from '@health-hub/subgraph-kit';
import DataLoader from 'dataloader';

interface ProvinceDay {
  provinceCode: string;
  date: string;
}

// One loader per request, found by the request's loaders object.
const perRequest = new WeakMap<object, DataLoader<string, number>>();

/** Residents per province (where they live now), one GROUP BY for the batch. */
function residentsLoader(ctx: SubgraphContext<object>): DataLoader<string, number> {
  let loader = perRequest.get(ctx.loaders);
  if (!loader) {
    loader = new DataLoader<string, number>(async (codes) => {
      const { rows } = await ctx.pool.query<{ code: string; n: number }>(
        'SELECT residence_province AS code, count(*)::int AS n FROM registry.person WHERE residence_province = ANY($1::text[]) GROUP BY 1',
        [codes],
      );
      const byCode = new Map(rows.map((r) => [r.code, r.n]));
      return codes.map((c) => byCode.get(c) ?? 0);
    });
    perRequest.set(ctx.loaders, loader);
  }
  return loader;
}

/** The registry's figure in the cases subgraph's risk map: how many people live in the province. */
export const residentResolvers = {
  ProvinceRisk: {
    __resolveReference: (ref: ProvinceDay) => ({ provinceCode: ref.provinceCode, date: ref.date }),
    residents: (r: ProvinceDay, _: unknown, ctx: SubgraphContext<object>) => residentsLoader(ctx).load(r.provinceCode),
  },
};
