import { randomUUID } from 'node:crypto';
import { appendEntries, type AuditRecord } from '@health-hub/audit';
import { deleteExpired, type ExpiringKind } from '@health-hub/cases';
import { createPool, HubError, withTransaction, type Pool } from '@health-hub/subgraph-kit';
import { Queue, Worker, type Job } from 'bullmq';
import { z } from 'zod';

/**
 * How long each class of mass-collected tracing data is kept, in days. Check-ins and
 * declarations serve contact tracing: an incubation period (14 days) plus a week for a late
 * confirmed case to be traced back. Contacts are kept longer, through the follow-up of F1/F2.
 * Daily health reports of people isolated at home: the longest isolation (14 days) and as long
 * again for a late complication to be looked back on; the alerts raised from them and those
 * alerts' delivered webhooks hold the same values and go with them.
 */
export const DEFAULT_RETENTION_DAYS: Readonly<Record<ExpiringKind, number>> = Object.freeze({
  checkIns: 21,
  medicalDeclarations: 21,
  contacts: 60,
  healthReports: 30,
  isolationAlerts: 30,
  alertDeliveries: 30,
});

/** Who the audit log names for deletions the hub makes itself. */
export const RETENTION_PARTNER_ID = 'hub:retention';

export interface RetentionOptions {
  databaseUrl: string;
  /** Days kept per data class; a class left out keeps its default (`DEFAULT_RETENTION_DAYS`). */
  days?: Partial<Record<ExpiringKind, number>>;
  /** Rows deleted per statement, so no statement locks millions of rows. Default 5,000. */
  batchSize?: number;
  /**
   * The time retention is measured from. Default the real clock; the demo's simulated sources
   * are historical, so `npm start` measures from the end of their period instead.
   */
  clock?: () => Date;
}

export interface ScheduledRetentionOptions extends RetentionOptions {
  redisUrl: string;
  /** How often the job runs, in milliseconds. Default hourly. */
  everyMs?: number;
  /** BullMQ key prefix; tests give each run its own. Default `bull`. */
  queuePrefix?: string;
}

/** What one run deleted: counts per class, never contents. */
export type RetentionReport = Record<ExpiringKind, { before: string; deleted: number }>;

const KINDS = Object.keys(DEFAULT_RETENTION_DAYS) as ExpiringKind[];
const DAY_MS = 86_400_000;
const QUEUE = 'hub-retention';

const optionsSchema = z.object({
  databaseUrl: z.string().min(1),
  days: z.object({
    checkIns: z.number().int().min(1).max(3650).optional(),
    medicalDeclarations: z.number().int().min(1).max(3650).optional(),
    contacts: z.number().int().min(1).max(3650).optional(),
    healthReports: z.number().int().min(1).max(3650).optional(),
    isolationAlerts: z.number().int().min(1).max(3650).optional(),
    alertDeliveries: z.number().int().min(1).max(3650).optional(),
  }).strict().default({}),
  batchSize: z.number().int().min(1).max(100_000).default(5_000),
  redisUrl: z.string().min(1).optional(),
  everyMs: z.number().int().min(1_000).default(3_600_000),
  queuePrefix: z.string().min(1).optional(),
  clock: z.function().optional(),
});

function resolve(options: RetentionOptions | ScheduledRetentionOptions) {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    throw new HubError('HUB_RETENTION_BAD_OPTION', `Retention option "${field}" ${issue.message}.`, { details: { field } });
  }
  return Object.freeze({ ...parsed.data, days: { ...DEFAULT_RETENTION_DAYS, ...parsed.data.days } });
}

/**
 * Deletes the tracing data older than its retention period, class by class in batches. Each
 * batch commits together with its audit entry (how many records recorded before which instant
 * were deleted), so a failure anywhere leaves no deletion unaccounted for; a class with nothing
 * to delete gets one entry saying so. Safe to run concurrently with ingestion and with itself.
 */
export async function enforceRetention(pool: Pool, options: RetentionOptions, now: Date = options.clock?.() ?? new Date()): Promise<RetentionReport> {
  const o = resolve(options);
  const requestId = randomUUID();
  const report = {} as RetentionReport;
  for (const kind of KINDS) {
    const before = new Date(now.getTime() - o.days[kind] * DAY_MS);
    const entry = (deleted: number): AuditRecord => ({
      at: new Date().toISOString(),
      partnerId: RETENTION_PARTNER_ID,
      purpose: 'retention',
      operation: `retention:${kind}`,
      requestId,
      clientAddress: null,
      personIds: [],
      fields: [`deleted=${deleted}`, `before=${before.toISOString()}`, `retentionDays=${o.days[kind]}`],
    });
    let deleted = 0;
    for (;;) {
      const n = await withTransaction(pool, async (tx) => {
        const count = await deleteExpired(tx, kind, before, o.batchSize);
        if (count > 0) await appendEntries(tx, [entry(count)]);
        return count;
      });
      deleted += n;
      if (n < o.batchSize) break;
    }
    if (deleted === 0) await appendEntries(pool, [entry(0)]);
    report[kind] = { before: before.toISOString(), deleted };
  }
  return report;
}

export interface ScheduledRetention {
  /** Runs the job now (besides its schedule) and waits for its report. */
  runNow(): Promise<RetentionReport>;
  close(): Promise<void>;
}

/**
 * Schedules `enforceRetention` on a BullMQ job scheduler (one run at a time across processes;
 * a failed run is retried with backoff and kept in the queue's failed set).
 */
export async function scheduleRetention(options: ScheduledRetentionOptions): Promise<ScheduledRetention> {
  const o = resolve(options);
  const pool = createPool({ databaseUrl: o.databaseUrl, applicationName: 'hub-retention', max: 2 });
  const connection = { url: options.redisUrl, maxRetriesPerRequest: null };
  const queue = new Queue<object, RetentionReport>(QUEUE, { connection, prefix: o.queuePrefix });
  const jobOptions = { attempts: 5, backoff: { type: 'exponential', delay: 30_000 }, removeOnComplete: 100, removeOnFail: false };
  const worker = new Worker<object, RetentionReport>(QUEUE, async (_job: Job) => enforceRetention(pool, options), { connection, prefix: o.queuePrefix, concurrency: 1 });
  await queue.upsertJobScheduler('retention:schedule', { every: o.everyMs }, { name: 'enforce', opts: jobOptions });
  return {
    async runNow() {
      // Listen before adding, so a run faster than this process cannot be missed.
      const jobId = `retention:now:${randomUUID()}`;
      const report = new Promise<RetentionReport>((done, fail) => {
        const finished = (j: Job, result: RetentionReport) => { if (j.id === jobId) { off(); done(result); } };
        const failed = (j: Job | undefined, error: Error) => { if (j?.id === jobId && j.attemptsMade >= (j.opts.attempts ?? 1)) { off(); fail(error); } };
        const off = () => { worker.off('completed', finished); worker.off('failed', failed); };
        worker.on('completed', finished);
        worker.on('failed', failed);
      });
      await queue.add('enforce', {}, { ...jobOptions, jobId });
      return report;
    },
    async close() {
      await worker.close();
      await queue.close();
      await pool.end();
    },
  };
}
