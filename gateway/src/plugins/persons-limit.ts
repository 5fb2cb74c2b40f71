import type { ApolloServerPlugin } from '@apollo/server';
import type { Partner } from '@health-hub/access';
import type { Role } from '@health-hub/schema';
import type { GatewayContext } from '../caller';
import { GatewayErrors } from '../errors';
import { guardOf, takeAuditPersonIds } from './field-authorization';

/** Default most distinct persons one answer may hold, by role (a partner may have its own). */
export const DEFAULT_MAX_PERSONS: Readonly<Record<Role, number>> = Object.freeze({
  ministry: 1_000, province: 1_000, app: 20, steward: 200, auditor: 100, operator: 20,
});

/** The limit that applies to `partner`: its own, else its role's. */
export function maxPersonsOf(defaults: Readonly<Record<Role, number>>): (partner: Partner) => number {
  return (partner) => partner.maxPersonsPerRequest ?? defaults[partner.role];
}

/**
 * The persons limit when the audit log is off (`audit: false`): the audit log counts the
 * persons as it collects them and enforces the limit itself; without it, this plugin counts
 * them from the same hidden person IDs (which the field authorization adds either way), removes
 * those IDs and withholds an answer over the limit. So the limit holds whatever the audit switch.
 */
export function personsLimit(options: { maxPersons: (partner: Partner) => number }): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(context) {
          if (!guardOf(context.contextValue) || context.response.body.kind !== 'single') return;
          const result = context.response.body.singleResult;
          const persons = new Set<string>();
          takeAuditPersonIds(result.data, persons);
          const limit = options.maxPersons(context.contextValue.caller.partner);
          if (persons.size > limit) withholdAnswer(result, persons.size, limit);
        },
      };
    },
  };
}

/**
 * Withholds an answer holding more persons than the partner may receive at once: no data,
 * one error saying how to ask instead (HUB_GATEWAY_TOO_MANY_PERSONS, with the count and the
 * limit). The persons are counted by the audit log as it collects them (`audit-log.ts`), or
 * by `personsLimit` when the audit log is off.
 */
export function withholdAnswer(result: { data?: Record<string, unknown> | null; errors?: ReadonlyArray<unknown> }, persons: number, limit: number): void {
  result.data = null;
  result.errors = [{
    message: `The answer holds ${persons} persons, more than the ${limit} this partner may receive in one request, and is withheld. Ask for fewer at once: page with first and after, or send persons(ids) in smaller lists.`,
    extensions: { code: GatewayErrors.TOO_MANY_PERSONS, persons, limit },
  }];
}

/** How a withheld answer is named in the audit log (its entry has no persons: none were returned). */
export function refusedOperation(operation: string): string {
  return `${operation.slice(0, 80)} (withheld: ${GatewayErrors.TOO_MANY_PERSONS})`;
}
