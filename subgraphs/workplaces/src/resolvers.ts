import { vietnamDate } from '@health-hub/insurance';
import { HubError, type SubgraphContext } from '@health-hub/subgraph-kit';
import type { AreaWorkplaces } from './area-counts';
import type { Assessment } from './assessment-store';
import { WorkplacesErrors } from './errors';
import { listWorkplaces, type WorkplaceFilter } from './lists';
import type { WorkplacesLoaders } from './loaders';
import { scopedFilter, visibleProvince } from './province-scope';
import { taxCodeProblem } from './tax-code';
import { zonesOfProvince, type IndustrialZone, type Workplace } from './workplace-store';

type Context = SubgraphContext<WorkplacesLoaders>;
interface Page {
  first?: number | null;
  after?: string | null;
}

/** A bounded integer argument, or HUB_WORKPLACES_BAD_ARGUMENT naming it. */
function within(name: string, value: number | null | undefined, fallback: number, min: number, max: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max) throw new HubError(WorkplacesErrors.BAD_ARGUMENT, `${name} must be ${min} to ${max}; got ${v}.`, { details: { argument: name } });
  return v;
}

async function visibleWorkplace(ctx: Context, taxCode: string): Promise<Workplace | null> {
  const w = await ctx.loaders.workplace.load(taxCode);
  return w && visibleProvince(ctx, w.address.provinceCode) ? w : null;
}

/**
 * An area's workplaces by risk level on the risk map's day, or null when a province-limited
 * caller asks about another province's area (its workplaces' addresses say which province).
 */
async function areaWorkplaces(ctx: Context, kind: 'province' | 'district' | 'ward', code: string, date: string): Promise<AreaWorkplaces | null> {
  const counts = await ctx.loaders.areaWorkplaces(kind, date).load(code);
  const outside = kind === 'province' ? !visibleProvince(ctx, code) : counts.provinceCodes.some((p) => !visibleProvince(ctx, p));
  return outside ? null : counts;
}

async function visibleZone(ctx: Context, code: string): Promise<IndustrialZone | null> {
  const z = await ctx.loaders.zone.load(code);
  return z && visibleProvince(ctx, z.provinceCode) ? z : null;
}

export const resolvers = {
  Query: {
    workplace: (_: unknown, args: { taxCode: string }, ctx: Context) => {
      const taxCode = args.taxCode.trim();
      const problem = taxCodeProblem(taxCode);
      if (problem) throw new HubError(WorkplacesErrors.BAD_TAX_CODE, `Tax code "${args.taxCode}" ${problem}.`);
      return visibleWorkplace(ctx, taxCode);
    },
    workplaces: (_: unknown, args: Page & { filter?: WorkplaceFilter | null }, ctx: Context) =>
      listWorkplaces(ctx.pool, scopedFilter(ctx, 'workplaces', args.filter), within('first', args.first, 50, 1, 500), args.after),
    workplacesOverdueForAssessment: (_: unknown, args: Page & { filter?: WorkplaceFilter | null; asOf?: string | null; maxAgeDays?: number | null }, ctx: Context) =>
      listWorkplaces(ctx.pool, scopedFilter(ctx, 'workplacesOverdueForAssessment', args.filter), within('first', args.first, 50, 1, 500), args.after, {
        asOf: args.asOf ?? vietnamDate(),
        maxAgeDays: within('maxAgeDays', args.maxAgeDays, 14, 1, 365),
      }),
    industrialZone: (_: unknown, args: { code: string }, ctx: Context) => visibleZone(ctx, args.code),
    industrialZones: (_: unknown, args: { provinceCode?: string | null }, ctx: Context) =>
      zonesOfProvince(ctx.pool, scopedFilter(ctx, 'industrialZones', { provinceCode: args.provinceCode })?.provinceCode ?? null),
  },

  Workplace: {
    __resolveReference: (ref: { taxCode: string }, ctx: Context) => visibleWorkplace(ctx, ref.taxCode),
    zone: (w: Workplace, _: unknown, ctx: Context) => (w.zoneCode ? ctx.loaders.zone.load(w.zoneCode) : null),
    shuttleTransport: (w: Workplace) => w.shuttleWorkers > 0,
    contactPerson: (w: Workplace) => w.contact,
    assessments: (w: Workplace, args: { first?: number | null }, ctx: Context): Promise<Assessment[]> =>
      ctx.loaders.assessments(within('first', args.first, 20, 1, 100)).load(w.taxCode),
  },

  WorkplaceContact: {
    person: (c: Workplace['contact']) => (c.citizenId ? { id: c.citizenId } : null),
  },

  ProvinceRisk: {
    workplaces: (r: { provinceCode: string; date: string }, _: unknown, ctx: Context) => areaWorkplaces(ctx, 'province', r.provinceCode, r.date),
  },

  AreaRisk: {
    // A district code has 3 digits, a ward code 5; any other code has no workplaces.
    workplaces: (r: { code: string; date: string }, _: unknown, ctx: Context) => areaWorkplaces(ctx, r.code.length === 3 ? 'district' : 'ward', r.code, r.date),
  },

  IndustrialZone: {
    __resolveReference: (ref: { code: string }, ctx: Context) => visibleZone(ctx, ref.code),
    workplaces: (z: IndustrialZone, args: Page & { riskLevel?: string | null }, ctx: Context) =>
      ctx.loaders.zoneWorkplaces(args.riskLevel ?? null, within('first', args.first, 50, 1, 500), args.after ?? null).load(z.code),
    summary: (z: IndustrialZone, args: { asOf?: string | null; maxAgeDays?: number | null }, ctx: Context) =>
      ctx.loaders.zoneSummary(args.asOf ?? vietnamDate(), within('maxAgeDays', args.maxAgeDays, 14, 1, 365)).load(z.code),
  },
};
