import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool, migrate, type Pool } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import {
  checkpointSigner, drainOutbox, fileCheckpointExport, MIGRATIONS_DIR, pinnedKeys, queueAuditEntries, verifyAuditLog, writeCheckpoint,
  type AuditRecord, type CheckpointExport,
} from '../src';

const pem = () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

function record(k: number, at = new Date().toISOString()): AuditRecord {
  return {
    at, partnerId: `ministry-${k % 3}`, purpose: 'epidemic-response', operation: 'Person360', requestId: `req-${k}`,
    clientAddress: '10.0.0.1', personIds: [`0791870000${String(k % 100).padStart(2, '0')}`], fields: ['Person.fullName'],
  };
}

describe('the audit log under attack by someone who can switch off its triggers', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let pool: Pool;
  const signer = checkpointSigner(pem());
  const trustedKeys = pinnedKeys(signer.publicKeyPem);
  let exporter: CheckpointExport;

  /** Chains `n` more entries through the outbox, then signs a checkpoint and exports it. */
  async function grow(n: number, from: number) {
    await queueAuditEntries(pool, Array.from({ length: n }, (_, i) => record(from + i)));
    await drainOutbox(pool);
    const signed = await writeCheckpoint(pool, signer);
    if (signed) await exporter.append(signed);
  }
  const verify = async () => {
    const { checkpoints, unreadable } = await exporter.readAll();
    return verifyAuditLog(pool, { trustedKeys, exported: checkpoints, unreadableExported: unreadable, pageSize: 7 });
  };
  const kinds = async () => (await verify()).problems.map(({ kind, seq, checkpointSeq }) => ({ kind, seq, checkpointSeq }));

  beforeAll(async () => {
    db = await freshDatabase();
    await migrate({ databaseUrl: db.url, schema: 'audit', dir: MIGRATIONS_DIR });
    pool = createPool({ databaseUrl: db.url, applicationName: 'audit-attacks-test', max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });
  beforeEach(async () => {
    await pool.query('ALTER TABLE audit.entry DISABLE TRIGGER USER; ALTER TABLE audit.checkpoint DISABLE TRIGGER USER');
    await pool.query('TRUNCATE audit.entry, audit.checkpoint, audit.signing_key, audit.outbox RESTART IDENTITY');
    await pool.query('ALTER TABLE audit.entry ENABLE TRIGGER USER; ALTER TABLE audit.checkpoint ENABLE TRIGGER USER');
    exporter = fileCheckpointExport(join(mkdtempSync(join(tmpdir(), 'hub-audit-export-')), 'checkpoints.jsonl'));
    // 30 entries under three checkpoints (10, 20, 30), each in the database and in the export.
    for (const from of [1, 11, 21]) await grow(10, from);
    expect(await verify()).toMatchObject({ ok: true, entriesChecked: 30, checkpointsChecked: 3, exportedCheckpoints: 3, lastCheckpointSeq: 30, uncheckpointedEntries: 0 });
  });

  it('refuses changes to entries and checkpoints while the triggers are on', async () => {
    await expect(pool.query("UPDATE audit.entry SET purpose = 'curiosity' WHERE seq = 3")).rejects.toThrow(/append-only/);
    await expect(pool.query('DELETE FROM audit.entry WHERE seq > 27')).rejects.toThrow(/append-only/);
    await expect(pool.query('TRUNCATE audit.entry')).rejects.toThrow(/append-only/);
    await expect(pool.query('DELETE FROM audit.checkpoint WHERE seq = 30')).rejects.toThrow(/append-only/);
  });

  it('detects an updated entry (CHANGED)', async () => {
    await pool.query("ALTER TABLE audit.entry DISABLE TRIGGER USER; UPDATE audit.entry SET purpose = 'curiosity' WHERE seq = 13");
    expect(await kinds()).toEqual([{ kind: 'CHANGED', seq: 13, checkpointSeq: null }]);
  });

  it('detects an entry deleted inside the chain (MISSING)', async () => {
    await pool.query('ALTER TABLE audit.entry DISABLE TRIGGER USER; DELETE FROM audit.entry WHERE seq = 5');
    expect(await kinds()).toEqual([{ kind: 'MISSING', seq: 5, checkpointSeq: null }]);
  });

  it('detects the newest entries deleted with their checkpoint, from the exported checkpoint (TRUNCATED)', async () => {
    await pool.query('ALTER TABLE audit.entry DISABLE TRIGGER USER; ALTER TABLE audit.checkpoint DISABLE TRIGGER USER');
    await pool.query('DELETE FROM audit.entry WHERE seq > 27; DELETE FROM audit.checkpoint WHERE seq = 30');
    const problems = (await verify()).problems;
    expect(problems.map(({ kind, seq, checkpointSeq }) => ({ kind, seq, checkpointSeq }))).toEqual([
      { kind: 'CHECKPOINT_MISSING', seq: 30, checkpointSeq: 30 },
      { kind: 'TRUNCATED', seq: 28, checkpointSeq: 30 },
    ]);
    expect(problems[1]!.detail).toMatch(/entries 28 to 30 are gone: checkpoint 30 of .* vouches for them/);
  });

  it('detects a truncated table (TRUNCATED from the first entry)', async () => {
    // As the attacker did: a superuser's replica role skips every user trigger.
    await pool.query('SET session_replication_role = replica; TRUNCATE audit.entry, audit.checkpoint CASCADE; RESET session_replication_role');
    expect(await kinds()).toEqual([
      { kind: 'CHECKPOINT_MISSING', seq: 10, checkpointSeq: 10 },
      { kind: 'CHECKPOINT_MISSING', seq: 20, checkpointSeq: 20 },
      { kind: 'CHECKPOINT_MISSING', seq: 30, checkpointSeq: 30 },
      { kind: 'TRUNCATED', seq: 1, checkpointSeq: 30 },
    ]);
  });

  it('detects reused sequence numbers after the newest entries were deleted (REUSED_SEQUENCE)', async () => {
    await pool.query('ALTER TABLE audit.entry DISABLE TRIGGER USER; ALTER TABLE audit.checkpoint DISABLE TRIGGER USER');
    await pool.query('DELETE FROM audit.entry WHERE seq > 27; DELETE FROM audit.checkpoint WHERE seq = 30');
    await pool.query('ALTER TABLE audit.entry ENABLE TRIGGER USER; ALTER TABLE audit.checkpoint ENABLE TRIGGER USER');
    // New reads chain from 27 and take 28, 29, 30, 31 again: the gap is gone from the chain itself.
    await new Promise((r) => setTimeout(r, 5));
    await grow(4, 100);
    expect(await kinds()).toEqual([
      { kind: 'CHECKPOINT_MISSING', seq: 30, checkpointSeq: 30 },
      { kind: 'REUSED_SEQUENCE', seq: 28, checkpointSeq: 30 },
    ]);
  });

  it('detects entries rewritten and re-hashed to the end (CHECKPOINT_MISMATCH)', async () => {
    await pool.query('ALTER TABLE audit.entry DISABLE TRIGGER USER');
    // Rewrite entry 15 and recompute every hash after it, as a careful attacker would.
    const { rows } = await pool.query('SELECT seq FROM audit.entry WHERE seq >= 15 ORDER BY seq');
    const { linkHash } = await import('../src/chain');
    const { rows: [before] } = await pool.query('SELECT hash FROM audit.entry WHERE seq = 14');
    let previous: Buffer = before.hash;
    for (const { seq } of rows) {
      const { rows: [e] } = await pool.query(`SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, partner_id, purpose, operation, request_id, client_address, person_ids, fields FROM audit.entry WHERE seq = $1`, [seq]);
      const rec: AuditRecord = { at: e.at, partnerId: e.partner_id, purpose: seq === 15 ? 'curiosity' : e.purpose, operation: e.operation, requestId: e.request_id, clientAddress: e.client_address, personIds: e.person_ids, fields: e.fields };
      const hash = linkHash(previous, seq, rec);
      await pool.query('UPDATE audit.entry SET purpose = $2, prev_hash = $3, hash = $4 WHERE seq = $1', [seq, rec.purpose, previous, hash]);
      previous = hash;
    }
    expect(await kinds()).toEqual([
      { kind: 'CHECKPOINT_MISMATCH', seq: 20, checkpointSeq: 20 },
      { kind: 'CHECKPOINT_MISMATCH', seq: 30, checkpointSeq: 30 },
    ]);
  });

  it('detects checkpoints re-signed with a replaced key (UNTRUSTED_CHECKPOINT_KEY) and a forged export line (BAD_CHECKPOINT_SIGNATURE)', async () => {
    // The attacker puts a key of their own beside the log and signs a checkpoint with it.
    const theirs = checkpointSigner(pem());
    await queueAuditEntries(pool, [record(31)]);
    await drainOutbox(pool);
    const forged = await writeCheckpoint(pool, theirs);
    expect(forged?.seq).toBe(31);
    // And appends to the export a line that claims the pinned key.
    const path = exporter.location;
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    const last = JSON.parse(lines.at(-1)!);
    writeFileSync(path, `${lines.join('\n')}\n${JSON.stringify({ ...last, seq: 40 })}\nnot json\n`);
    expect(await kinds()).toEqual([
      { kind: 'BAD_CHECKPOINT_SIGNATURE', seq: 0, checkpointSeq: null },
      { kind: 'UNTRUSTED_CHECKPOINT_KEY', seq: 31, checkpointSeq: 31 },
      { kind: 'BAD_CHECKPOINT_SIGNATURE', seq: 40, checkpointSeq: 40 },
    ]);
    // The same checkpoint with the replaced key pinned verifies: the pin is what protects.
    expect((await verifyAuditLog(pool, { trustedKeys: new Map([...trustedKeys, [theirs.keyId, theirs.publicKeyPem]]) })).ok).toBe(true);
  });

  it('states the unverified tail: entries chained after the newest checkpoint', async () => {
    await queueAuditEntries(pool, [record(31), record(32)]);
    await drainOutbox(pool);
    expect(await verify()).toMatchObject({ ok: true, entriesChecked: 32, lastCheckpointSeq: 30, uncheckpointedEntries: 2 });
  });
});
