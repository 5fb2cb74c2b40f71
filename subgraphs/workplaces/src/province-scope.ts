import { HubError, type SubgraphContext } from '@health-hub/subgraph-kit';
import { WorkplacesErrors } from './errors';
import type { WorkplaceFilter } from './lists';

/**
 * A list filter as a caller may use it: a province-limited partner's lists are those of its
 * province. Naming another province is refused with HUB_WORKPLACES_OUTSIDE_PROVINCE rather
 * than answered with an empty page, so a mistaken query is not read as "no workplaces there".
 * Nationwide callers' filters pass unchanged. (The same rule as the cases subgraph's lists.)
 */
export function scopedFilter(ctx: SubgraphContext<unknown>, list: string, filter: WorkplaceFilter | null | undefined): WorkplaceFilter | null | undefined {
  const own = ctx.caller.provinceCode;
  if (!own) return filter;
  const asked = filter?.provinceCode;
  if (asked !== undefined && asked !== null && asked !== own) {
    throw new HubError(WorkplacesErrors.OUTSIDE_PROVINCE, `${list}: this partner may read province ${own} only; the filter asked for ${asked}.`, {
      details: { provinceCode: asked, allowed: own },
    });
  }
  return { ...filter, provinceCode: own };
}

/** Whether a record of `provinceCode` is one the caller may see: all for nationwide callers, their own province's for the others. */
export function visibleProvince(ctx: SubgraphContext<unknown>, provinceCode: string): boolean {
  const own = ctx.caller.provinceCode;
  return !own || own === provinceCode;
}
