/**
 * Where alert transitions (firing, resolved) are kept: the same database as the request log
 * (a table of its own, created by the log store's migrations), or memory with `storage:
 * none://`. Every backend implements this interface and passes alert-history.contract.ts.
 *
 * Transitions are rare (a handful per hour at worst), so backends favour simplicity over
 * batching; they never sit on the request path.
 */
import type { AlertTransition } from './alert-lifecycle.js';

export interface AlertHistoryQuery {
  /** Inclusive lower bound, epoch ms. */
  since?: number;
  rule?: string;
  /** At most this many, newest first (capped at 1000). */
  limit: number;
}

export interface AlertHistoryStore {
  append(t: AlertTransition): Promise<void>;
  list(q: AlertHistoryQuery): Promise<AlertTransition[]>;
  prune(before: number): Promise<number>;
  close(): Promise<void>;
}

export const MAX_HISTORY_PAGE = 1000;

export class MemoryAlertHistory implements AlertHistoryStore {
  private rows: AlertTransition[] = [];

  constructor(private readonly capacity = 10_000) {}

  async append(t: AlertTransition): Promise<void> {
    this.rows.push({ ...t });
    if (this.rows.length > this.capacity) this.rows.splice(0, this.rows.length - this.capacity);
  }

  async list(q: AlertHistoryQuery): Promise<AlertTransition[]> {
    const out: AlertTransition[] = [];
    const limit = Math.min(q.limit, MAX_HISTORY_PAGE);
    for (let i = this.rows.length - 1; i >= 0 && out.length < limit; i--) {
      const r = this.rows[i]!;
      if (q.since !== undefined && r.at < q.since) continue;
      if (q.rule !== undefined && r.rule !== q.rule) continue;
      out.push({ ...r });
    }
    return out;
  }

  async prune(before: number): Promise<number> {
    const n = this.rows.length;
    this.rows = this.rows.filter((r) => r.at >= before);
    return n - this.rows.length;
  }

  async close(): Promise<void> {}
}
