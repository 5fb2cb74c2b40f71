import type { Partner } from '@health-hub/access';
import type { Role } from '@health-hub/schema';
import { GatewayErrors } from '../errors';

/** Default most distinct persons one answer may hold, by role (a partner may have its own). */
export const DEFAULT_MAX_PERSONS: Readonly<Record<Role, number>> = Object.freeze({
  ministry: 1_000, province: 1_000, app: 20, steward: 200, auditor: 100,
});

/** The limit that applies to `partner`: its own, else its role's. */
export function maxPersonsOf(defaults: Readonly<Record<Role, number>>): (partner: Partner) => number {
  return (partner) => partner.maxPersonsPerRequest ?? defaults[partner.role];
}

/**
 * Withholds an answer holding more persons than the partner may receive at once: no data,
 * one error saying how to ask instead (HUB_GATEWAY_TOO_MANY_PERSONS, with the count and the
 * limit). The persons are counted by the audit log as it collects them (`audit-log.ts`).
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
