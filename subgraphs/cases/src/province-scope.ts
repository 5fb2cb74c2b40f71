import { HubError, type SubgraphContext } from '@health-hub/subgraph-kit';
import { CasesErrors } from './errors';
import type { ListFilter } from './store/list';

/**
 * A list filter as a caller may use it: a province-limited partner's lists are those of its
 * province (the gateway-signed caller's `provinceCode`). Naming another province is refused
 * with HUB_CASES_OUTSIDE_PROVINCE rather than answered with an empty page, so a mistaken
 * query is not read as "no cases there". Nationwide callers' filters pass unchanged.
 */
export function scopedFilter(ctx: SubgraphContext<unknown>, list: string, filter: ListFilter | null | undefined): ListFilter | null | undefined {
  const own = ctx.caller.provinceCode;
  if (!own) return filter;
  const asked = filter?.provinceCode;
  if (asked !== undefined && asked !== null && asked !== own) {
    throw new HubError(CasesErrors.OUTSIDE_PROVINCE, `${list}: this partner may read province ${own} only; the filter asked for ${asked}.`, {
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
