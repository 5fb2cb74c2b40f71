import { HubError, type SubgraphContext } from '@health-hub/subgraph-kit';
import { entriesForPartner, entriesForPerson, verifyAuditLog, type VerifyOptions } from './audit-store';
import { AuditErrors } from './errors';

type Context = SubgraphContext<Record<string, never>>;

function limit(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > 1000) throw new HubError(AuditErrors.BAD_ARGUMENT, `first must be between 1 and 1,000; got ${first}.`);
  return first;
}

/** The auditor's queries; `verification` gives the pinned keys and the exported checkpoints at each call. */
export function createResolvers(verification: () => Promise<VerifyOptions>) {
  return {
    Query: {
      auditTrailOfPerson: (_: unknown, args: { personId: string; first: number }, ctx: Context) => entriesForPerson(ctx.pool, args.personId, limit(args.first)),
      auditTrailOfPartner: (_: unknown, args: { partnerId: string; from?: string | null; to?: string | null; first: number }, ctx: Context) =>
        entriesForPartner(ctx.pool, args.partnerId, args.from ?? null, args.to ?? null, limit(args.first)),
      verifyAuditLog: async (_: unknown, _args: unknown, ctx: Context) => verifyAuditLog(ctx.pool, await verification()),
    },
  };
}
