export { build, MIGRATIONS_DIR, type AuditOptions } from './app';
export { appendEntries, entriesForPerson, entriesForPartner, writeCheckpoint, verifyAuditLog, type AuditEntry, type AuditVerification, type AuditProblemKind } from './audit-store';
export { checkpointSigner, type CheckpointSigner } from './checkpoint-signer';
export { linkHash, type AuditRecord } from './chain';
export { AuditErrors } from './errors';
