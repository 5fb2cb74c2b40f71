import type { SubgraphContext } from '@health-hub/subgraph-kit';
import type { CasesLoaders } from './loaders';
import { DEFAULT_TRACING, promoteCandidates, traceCase, type Candidate, type Tracing } from './tracing/tracing';
import { registerWebhookSubscriber, unregisterWebhookSubscriber, webhookSubscribersOf } from './webhooks/subscriber-store';

type Context = SubgraphContext<CasesLoaders>;

interface WindowArgs {
  daysBeforeOnset: number;
  windowMinutes: number;
}

/** Tracing: `Query.trace`, `Mutation.promoteCandidates` and the types they return. */
export const tracingResolvers = {
  Query: {
    newCaseSubscriptions: (_: unknown, __: unknown, ctx: Context) => webhookSubscribersOf(ctx.pool, ctx.caller.partnerId),
    trace: (_: unknown, args: WindowArgs & { caseCode: string }, ctx: Context) =>
      traceCase(ctx.pool, args.caseCode.trim(), { ...DEFAULT_TRACING, daysBeforeOnset: args.daysBeforeOnset, windowMinutes: args.windowMinutes }),
  },
  Mutation: {
    subscribeToNewCases: (_: unknown, args: { url: string; provinceCode?: string | null; events?: string[] | null }, ctx: Context) =>
      registerWebhookSubscriber(ctx.pool, { ...args, partnerId: ctx.caller.partnerId }),
    unsubscribeFromNewCases: (_: unknown, args: { id: string }, ctx: Context) => unregisterWebhookSubscriber(ctx.pool, ctx.caller.partnerId, args.id),
    promoteCandidates: (_: unknown, args: WindowArgs & { caseCode: string; personIds: string[] }, ctx: Context) =>
      promoteCandidates(ctx.pool, args.caseCode.trim(), args.personIds, {
        ...DEFAULT_TRACING, daysBeforeOnset: args.daysBeforeOnset, windowMinutes: args.windowMinutes,
      }),
  },
  Tracing: {
    case: (t: Tracing, _: unknown, ctx: Context) => ctx.loaders.case.load(t.caseCode),
    visits: (t: Tracing, _: unknown, ctx: Context) => ctx.loaders.byId.checkIn.loadMany(t.visitIds),
  },
  CandidateContact: {
    person: (c: Candidate) => ({ id: c.personId }),
    checkIn: (c: Candidate, _: unknown, ctx: Context) => ctx.loaders.byId.checkIn.load(c.checkInId),
    visit: (c: Candidate, _: unknown, ctx: Context) => ctx.loaders.byId.checkIn.load(c.visitId),
    venue: (c: Candidate, _: unknown, ctx: Context) => ctx.loaders.byCode.venue.load(c.venueCode),
    exposedAt: (c: Candidate) => c.checkedInAt,
  },
  Promotion: {
    f1: (p: { f1: string[] }, _: unknown, ctx: Context) => ctx.loaders.byId.contact.loadMany(p.f1),
    f2: (p: { f2: string[] }, _: unknown, ctx: Context) => ctx.loaders.byId.contact.loadMany(p.f2),
  },
};
