import { open, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** A signed checkpoint as kept outside the database. */
export interface ExportedCheckpoint {
  seq: number;
  /** The chain head's hash, hex. */
  hash: string;
  /** When it was signed, ISO instant. */
  at: string;
  keyId: string;
  /** Ed25519 signature over `checkpointStatement(seq, hash, at)`, base64. */
  signature: string;
}

/** Where checkpoints are copied as they are signed, and read back to verify the chain against. */
export interface CheckpointExport {
  /** Where it writes, for logs and reports. */
  readonly location: string;
  append(checkpoint: ExportedCheckpoint): Promise<void>;
  /** Every checkpoint exported so far, and how many lines could not be read. */
  readAll(): Promise<{ checkpoints: ExportedCheckpoint[]; unreadable: number }>;
}

/**
 * An append-only JSON-lines file, fsynced after every checkpoint. Put it where the database's
 * administrators cannot write (another volume, a WORM mount, a file shipped off the host), or
 * it proves no more than the database does.
 */
export function fileCheckpointExport(path: string): CheckpointExport {
  return {
    location: path,
    async append(checkpoint) {
      await mkdir(dirname(path), { recursive: true });
      const file = await open(path, 'a');
      try {
        await file.write(`${JSON.stringify(checkpoint)}\n`);
        await file.sync();
      } finally {
        await file.close();
      }
    },
    async readAll() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { checkpoints: [], unreadable: 0 };
        throw error;
      }
      const checkpoints: ExportedCheckpoint[] = [];
      let unreadable = 0;
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        try {
          const c = JSON.parse(line) as ExportedCheckpoint;
          if (Number.isInteger(c.seq) && typeof c.hash === 'string' && typeof c.at === 'string' && typeof c.signature === 'string' && typeof c.keyId === 'string') checkpoints.push(c);
          else unreadable += 1;
        } catch {
          unreadable += 1;
        }
      }
      return { checkpoints, unreadable };
    },
  };
}
