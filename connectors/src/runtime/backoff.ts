/** Name of the runtime's backoff strategy in job options. */
export const BACKOFF_TYPE = 'exponential-jitter';

/**
 * Exponential backoff with "equal jitter": attempt n waits between half and all of
 * min(maxMs, baseMs × 2^(n−1)), so workers retrying the same outage spread out instead of
 * hitting the source together.
 */
export function backoffDelay(attemptsMade: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
