import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import type { Writer } from '@health-hub/subgraph-kit';
import type { AuditRecord } from './chain';
import { queueAuditEntries } from './outbox';

/**
 * Keeps an operator's change (a partner, key or certificate key changed with a CLI) in the audit
 * chain, in `tx`, the change's own transaction: a change whose entry cannot be stored is not
 * made. The operator is the account that ran the command, `operator:<user>@<host>`; `fields` say
 * what changed (`partner:<id>`, `kid:<kid>`…), never a key or secret.
 */
export async function recordOperatorAction(tx: Writer, operation: string, fields: string[]): Promise<void> {
  const record: AuditRecord = {
    at: new Date().toISOString(), partnerId: `operator:${userInfo().username}@${hostname()}`.slice(0, 128), purpose: 'access-control',
    operation, requestId: randomUUID(), clientAddress: null, personIds: [], fields,
  };
  await queueAuditEntries(tx, [record]);
}
