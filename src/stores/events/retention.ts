/**
 * Retention for the log stores: events older than N days are deleted by `EventStore.prune`.
 * This module only computes the cutoff; when pruning runs (at start and then periodically) is
 * the gateway's scheduling concern, not the store's.
 */

const DAY_MS = 86_400_000;

/** Epoch ms before which events are older than `days` days at `now`; rows with time < cutoff go. */
export function retentionCutoff(days: number, now: number): number {
  if (!Number.isFinite(days) || days < 0) throw new RangeError(`retention days must be a finite number >= 0, got ${days}`);
  if (!Number.isFinite(now)) throw new RangeError('retention "now" must be a finite epoch-ms time');
  return Math.floor(now - days * DAY_MS);
}
