import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { Partner } from '@health-hub/access';
import type { AuditOutbox, AuditRecord } from '@health-hub/audit';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { Counter, type Registry } from 'prom-client';
import type { GatewayContext } from '../caller';
import { GatewayErrors } from '../errors';
import { guardOf, takeAuditPersonIds } from './field-authorization';
import { refusedOperation, withholdAnswer } from './persons-limit';

// The most citizen IDs an attempt entry names (what a request can ask for is bounded anyway).
const MAX_ATTEMPTED_IDS = 1_000;

/**
 * Audits every answer that touches personal data, and lets it leave only once its entry is
 * durable in the audit outbox (`@health-hub/audit`, drained into the hash chain by the audit
 * subgraph): a crash of the gateway then loses no entry of an answer it sent. When the outbox
 * cannot take the entry (full, unreachable, slow), the answer is refused instead, coded
 * HUB_GATEWAY_AUDIT_UNAVAILABLE (HTTP 503), and the refusal counted
 * (`hub_gateway_audit_refusals_total`): fail closed.
 *
 * An entry names the partner, purpose, operation, request ID, client address, the citizen IDs
 * of the persons in the answer (the field authorization adds a hidden `id` under every person
 * for this, removed here) and the personal fields asked. Citizen IDs the request named that
 * did not come back (unknown, or outside a province partner's province) are an attempt, and
 * get an entry of their own, and so does each `verifyCertificate` (the UVCIs the answers decoded
 * to, when selected, in its fields) and each mutation (an action, failed and refused ones too,
 * preceded by an intent entry that must be durable before the change runs). An answer with more persons than `maxPersons` allows the partner
 * is withheld and its refusal written instead (counted here, from the same walk).
 */
export function auditLog(outbox: AuditOutbox, options: { maxPersons?: (partner: Partner) => number; registry?: Registry } = {}): ApolloServerPlugin<GatewayContext> {
  const refusals = new Counter({
    name: 'hub_gateway_audit_refusals_total',
    help: 'Answers with personal data refused because their audit entry could not be made durable, by the outbox error code',
    labelNames: ['reason'],
    registers: options.registry ? [options.registry] : [],
  });
  return {
    async requestDidStart() {
      return {
        // A change is kept before it is made: its intent entry (the fields it will run and the
        // citizen IDs it names) must be durable, or the mutation is answered with a refusal and
        // not run. The action entry written with the answer then says how it ended. In
        // responseForOperation: it runs once every check of didResolveOperation (which Apollo runs
        // side by side) has let the request through, and the answer it returns replaces execution.
        async responseForOperation(context) {
          if (context.operation.operation !== 'mutation') return null;
          const fields = mutationRoots(context.operation).map((root) => root.coordinate);
          if (fields.length === 0) return null;
          const { caller, requestId, clientAddress } = context.contextValue;
          const intent: AuditRecord = {
            at: new Date().toISOString(), partnerId: caller.partner.id, purpose: caller.purpose, operation: intentOperation(context.operationName ?? 'anonymous'),
            requestId, clientAddress, personIds: requestedCitizenIds(context.request.query, context.request.variables), fields,
          };
          try {
            await outbox.record(intent);
            return null;
          } catch (error) {
            const reason = (error as { code?: string }).code ?? 'unknown';
            refusals.inc({ reason });
            return {
              http: { status: 503, headers: new HeaderMap() },
              body: { kind: 'single', singleResult: { errors: [{ message: 'The change could not be audited, so it was not made. Try again shortly.', extensions: { code: GatewayErrors.AUDIT_UNAVAILABLE, reason } }] } },
            };
          }
        },
        async willSendResponse(context) {
          const guarded = guardOf(context.contextValue);
          if (!guarded || context.response.body.kind !== 'single') return;
          const result = context.response.body.singleResult;
          const personIds = new Set<string>();
          const found = collectPersonIds(result.data, personIds);
          const { caller, requestId, clientAddress } = context.contextValue;
          const operation = context.operationName ?? 'anonymous';
          const entry = (op: string, ids: string[], fields: string[]): AuditRecord => ({
            at: new Date().toISOString(), partnerId: caller.partner.id, purpose: caller.purpose, operation: op, requestId, clientAddress, personIds: ids, fields,
          });
          // A change refused for want of a scope is kept too: trying is an action.
          const changed = [
            ...mutationFields(context.operation, result.data),
            ...guarded.denied.filter((d) => d.path.length === 1 && d.coordinate.startsWith('Mutation.')).map((d) => `${d.coordinate} (refused)`),
          ];
          // The citizen IDs the request names, scanned once (a batch's variables can be long).
          let named: string[] | undefined;
          const requested = () => (named ??= requestedCitizenIds(context.request.query, context.request.variables));
          // A change through the graph (a steward's merge, a revoked certificate, a webhook) is an
          // action of its partner, kept with the citizen IDs it named or returned, whatever it answered.
          const action = () => entry(actionOperation(operation), [...new Set([...requested(), ...personIds])], changed);
          // Too many persons for this partner: the answer is withheld, and the refusal audited
          // (with the action, when it was a change: the change was made all the same).
          const limit = options.maxPersons?.(caller.partner);
          if (limit !== undefined && personIds.size > limit) {
            withholdAnswer(result, personIds.size, limit);
            const refusal = [entry(refusedOperation(operation), [], []), ...(changed.length > 0 ? [action()] : [])];
            // Nothing personal leaves, so a failed write here refuses nothing more.
            await Promise.all(refusal.map((e) => outbox.record(e))).catch(() => refusals.inc({ reason: 'withheld-answer-not-audited' }));
            return;
          }
          const verified = certificateVerifications(context.operation, result.data);
          if (guarded.personalFields.length === 0 && verified.length === 0 && changed.length === 0) return;
          const entries: AuditRecord[] = [];
          if (changed.length > 0) entries.push(action());
          if (found && guarded.personalFields.length > 0) entries.push(entry(operation, [...personIds], guarded.personalFields));
          // A verification reads no record of the hub, but shows the holder a certificate names:
          // who verified which certificate is kept, the UVCIs it decoded to in the fields.
          if (verified.length > 0) entries.push(entry(verificationOperation(operation), [], verified));
          // Only an operation that ran can have attempted a read: one refused before execution (over
          // its budget, too costly) reached no record, and its 1,000 IDs would only load the log.
          const ran = result.data !== undefined;
          const attempted = ran && guarded.personalFields.length > 0 ? requested().filter((id) => !personIds.has(id)) : [];
          if (attempted.length > 0) entries.push(entry(attemptOperation(operation), attempted, guarded.personalFields));
          if (entries.length === 0) return;
          try {
            await Promise.all(entries.map((e) => outbox.record(e)));
          } catch (error) {
            const reason = (error as { code?: string }).code ?? 'unknown';
            refusals.inc({ reason });
            result.data = null;
            result.errors = [{
              message: 'The answer holds personal data and its audit entry could not be stored, so it is withheld. Try again shortly.',
              extensions: { code: GatewayErrors.AUDIT_UNAVAILABLE, reason },
            }];
            if (context.response.http) context.response.http.status = 503;
          }
        },
      };
    },
  };
}

/** How an entry for citizen IDs asked for but not returned is named. */
export function attemptOperation(operation: string): string {
  return `${operation.slice(0, 80)} (attempt: not returned)`;
}

/** How the entry written before a change (a mutation) runs is named. */
export function intentOperation(operation: string): string {
  return `${operation.slice(0, 80)} (intent)`;
}

/** How an entry for a change (a mutation) is named, written with its answer. */
export function actionOperation(operation: string): string {
  return `${operation.slice(0, 80)} (action)`;
}

/** How an entry for certificate verifications is named. */
export function verificationOperation(operation: string): string {
  return `${operation.slice(0, 80)} (certificate verification)`;
}

/**
 * The root `verifyCertificate` fields an operation ran, as audit fields: `Query.verifyCertificate`
 * once per field, and `uvci:<UVCI>` for each answer that selected and decoded one.
 */
function certificateVerifications(operation: OperationDefinitionNode | undefined, data: Record<string, unknown> | null | undefined): string[] {
  if (!operation || operation.operation !== 'query') return [];
  const fields: string[] = [];
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.name.value !== 'verifyCertificate') continue;
    fields.push('Query.verifyCertificate');
    const answer = data?.[selection.alias?.value ?? selection.name.value] as { uvci?: unknown } | null | undefined;
    if (typeof answer?.uvci === 'string') fields.push(`uvci:${answer.uvci.slice(0, 120)}`);
  }
  return fields;
}

/** A mutation's root fields (not `__typename`), each with the key its answer comes under. */
function mutationRoots(operation: OperationDefinitionNode | undefined): Array<{ coordinate: string; key: string }> {
  if (!operation || operation.operation !== 'mutation') return [];
  return operation.selectionSet.selections.flatMap((selection) => (selection.kind !== Kind.FIELD || selection.name.value === '__typename'
    ? []
    : [{ coordinate: `Mutation.${selection.name.value}`, key: selection.alias?.value ?? selection.name.value }]));
}

/**
 * The root fields a mutation ran, as audit fields: `Mutation.<field>`, followed by
 * `Mutation.<field> (failed)` when its answer is null (refused or failed).
 */
function mutationFields(operation: OperationDefinitionNode | undefined, data: Record<string, unknown> | null | undefined): string[] {
  return mutationRoots(operation).flatMap(({ coordinate, key }) => (data?.[key] == null ? [coordinate, `${coordinate} (failed)`] : [coordinate]));
}

/** The citizen IDs (12 digits) a request names, in its variables or its query text. */
function requestedCitizenIds(query: string | undefined, variables: Record<string, unknown> | undefined): string[] {
  const found = new Set<string>();
  for (const text of [query ?? '', variables ? JSON.stringify(variables) : '']) {
    for (const match of text.matchAll(/(?<!\d)\d{12}(?!\d)/g)) {
      found.add(match[0]);
      if (found.size >= MAX_ATTEMPTED_IDS) return [...found];
    }
  }
  return [...found];
}

/** Removes the hidden person IDs from `data` into `into`; true when any non-null root value exists. */
function collectPersonIds(data: unknown, into: Set<string>): boolean {
  takeAuditPersonIds(data, into);
  return !!data && typeof data === 'object' && Object.values(data).some((v) => v !== null && !(Array.isArray(v) && v.length === 0));
}
