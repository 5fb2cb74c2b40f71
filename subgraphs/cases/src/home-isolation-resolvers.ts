import { HubError, recordPersonFields, type SubgraphContext } from '@health-hub/subgraph-kit';
import { CasesErrors } from './errors';
import { HOME_ISOLATION_EVENTS } from './home-isolation/alerts';
import type { HomeIsolationAlerts } from './home-isolation/rules';
import { homeIsolationWorklist, wardProvince, type WorklistStatus } from './home-isolation/store';
import type { CasesLoaders } from './loaders';
import { visibleProvince } from './province-scope';
import { pageSize } from './resolvers';

type Context = SubgraphContext<CasesLoaders>;
type Row = Record<string, unknown>;

/** An isolation the caller may see: another province's is null for a province-limited partner, as an unknown one. */
const visible = (ctx: Context, row: Row | null) => (row && visibleProvince(ctx, row.provinceCode as string) ? row : null);

/**
 * Isolations at home: the ward health station's list, `HomeIsolation`, `HealthReport`,
 * `CitizenReport.homeIsolation`, and the webhook event names. `alerts` are the subgraph's
 * configured thresholds (`build({ homeIsolation })`).
 */
export function homeIsolationResolvers(alerts: HomeIsolationAlerts) {
  return {
    Query: {
      homeIsolationWorklist: async (
        _: unknown,
        args: { wardCode: string; at?: Date | null; statuses?: WorklistStatus[] | null; first: number; after?: string | null },
        ctx: Context,
      ) => {
        if (!/^[0-9]{5}$/.test(args.wardCode)) {
          throw new HubError(CasesErrors.BAD_ARGUMENT, `homeIsolationWorklist: wardCode must be a 5-digit ward code; got ${JSON.stringify(args.wardCode)}.`, { details: { field: 'wardCode' } });
        }
        // Another province's ward is refused, not answered with an empty list that would read as "nobody isolated there".
        const own = ctx.caller.provinceCode;
        const province = own ? await wardProvince(ctx.pool, args.wardCode) : null;
        if (own && province !== null && province !== own) {
          throw new HubError(CasesErrors.OUTSIDE_PROVINCE, `homeIsolationWorklist: this partner may read province ${own} only; ward ${args.wardCode} is in ${province}.`, {
            details: { wardCode: args.wardCode, provinceCode: province, allowed: own },
          });
        }
        return homeIsolationWorklist(ctx.pool, {
          wardCode: args.wardCode, at: args.at ?? new Date(), provinceCode: ctx.caller.provinceCode ?? null, statuses: args.statuses ?? [],
          first: pageSize('homeIsolationWorklist', args.first), after: args.after ?? null,
        }, alerts);
      },
      homeIsolation: async (_: unknown, args: { id: string }, ctx: Context) => visible(ctx, await ctx.loaders.homeIsolation.load(args.id)),
    },
    // The store's event names behind the graph's enum values.
    WebhookEvent: {
      CASE_CONFIRMED: 'case.confirmed',
      HOME_ISOLATION_REPORT_OVERDUE: HOME_ISOLATION_EVENTS.overdue,
      HOME_ISOLATION_THRESHOLD_CROSSED: HOME_ISOLATION_EVENTS.threshold,
    },
    HomeIsolation: {
      __resolveReference: async (ref: { id: string }, ctx: Context) => visible(ctx, await ctx.loaders.homeIsolation.load(ref.id)),
      ...recordPersonFields,
      case: (r: Row, _: unknown, ctx: Context) => (r.caseCode ? ctx.loaders.case.load(r.caseCode as string) : null),
      contact: (r: Row, _: unknown, ctx: Context) => (r.contactId ? ctx.loaders.byId.contact.load(r.contactId as string) : null),
      healthReports: (r: Row, args: { last: number }, ctx: Context) => ctx.loaders.healthReportsOf(pageSize('HomeIsolation.healthReports', args.last)).load(r.id as string),
      breachReports: (r: Row, _: unknown, ctx: Context) => ctx.loaders.breachReports.load(r.id as string),
    },
    HealthReport: {
      __resolveReference: async (ref: { id: string }, ctx: Context) => {
        const report = await ctx.loaders.healthReport.load(ref.id);
        return report && visibleProvince(ctx, report.provinceCode as string) ? report : null;
      },
      // The person is the isolation's: its citizen ID, or its reference in the isolation's source.
      personCitizenId: (r: Row) => r.personId ?? null,
      personReference: (r: Row) => (!r.personId && r.personRefKey ? { system: r.personSource, reference: r.personRefKey } : null),
      isolation: (r: Row, _: unknown, ctx: Context) => ctx.loaders.homeIsolation.load(r.isolationId as string),
      temperature: (r: Row) => r.temperatureValue,
    },
    CitizenReport: {
      homeIsolation: async (r: Row, _: unknown, ctx: Context) => (r.homeIsolationId ? visible(ctx, await ctx.loaders.homeIsolation.load(r.homeIsolationId as string)) : null),
    },
  };
}
