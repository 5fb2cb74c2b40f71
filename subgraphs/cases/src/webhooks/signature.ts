import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers of a case webhook: when it was signed (Unix seconds) and the signature. */
export const WEBHOOK_TIMESTAMP_HEADER = 'x-hub-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'x-hub-signature';
/**
 * The event's ID (also the body's `id`), the same on every retry and for every subscriber:
 * delivery is at least once, so a receiver drops an event whose ID it has already processed.
 */
export const WEBHOOK_EVENT_ID_HEADER = 'x-hub-event-id';

/** `sha256=<hex>` of HMAC-SHA256(secret, `${timestamp}.${body}`): the timestamp is signed so a captured delivery cannot be replayed later. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a subscriber does: recompute the signature, compare in constant time, and refuse a timestamp older than `toleranceSeconds`. */
export function verifyWebhook(secret: string, timestamp: number, body: string, signature: string, nowSeconds = Date.now() / 1000, toleranceSeconds = 300): boolean {
  if (!Number.isFinite(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
