import { z } from 'zod';

const isoInstant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'must be an ISO instant with milliseconds, in UTC');

/** What an audit record must look like before it may enter the outbox or the chain. */
export const auditRecordSchema = z.object({
  at: isoInstant,
  partnerId: z.string().min(1).max(64),
  purpose: z.string().min(1).max(64),
  operation: z.string().min(1).max(128),
  requestId: z.string().min(1).max(128),
  clientAddress: z.string().max(64).nullable(),
  personIds: z.array(z.string().regex(/^\d{12}$/)).max(10_000),
  fields: z.array(z.string().max(128)).max(2_000),
});

/** A batch sent to `POST /audit/entries`. */
export const auditBatchSchema = z.object({ entries: z.array(auditRecordSchema).min(1).max(10_000) });
