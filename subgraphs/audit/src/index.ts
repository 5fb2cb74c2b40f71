export { build, MIGRATIONS_DIR, type AuditOptions } from './app';
export {
  appendEntries, entriesForPerson, entriesForPartner, writeCheckpoint, verifyAuditLog,
  type AuditEntry, type AuditProblem, type AuditProblemKind, type AuditVerification, type VerifyOptions,
} from './audit-store';
export { fileCheckpointExport, type CheckpointExport, type ExportedCheckpoint } from './checkpoint-export';
export { checkpointSigner, pinnedKeys, type CheckpointSigner } from './checkpoint-signer';
export { linkHash, type AuditRecord } from './chain';
export { AuditErrors } from './errors';
export { createAuditOutbox, drainOutbox, queueAuditEntries, DEFAULT_OUTBOX_CAPACITY, type AuditOutbox, type AuditOutboxOptions } from './outbox';
export { recordOperatorAction } from './operator-action';
