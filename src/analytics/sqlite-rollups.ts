/**
 * The SQLite side of the hourly rollups. Inside the store's insert transaction the ids of the
 * rows actually inserted are marked in a temporary table; `flushMarked` then adds exactly those
 * rows to the rollups with the same aggregating SQL the migration's backfill uses, and clears
 * the marks — all before the transaction commits, so events and rollups never disagree.
 * Reads group and sum the rollup rows (analytics-sql.ts).
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../stores/events/sqlite-connection.js';
import type { UsageQuery, UsageRow } from './analytics-store.js';
import { latencySql, toUsageRows, totalsSql } from './analytics-sql.js';
import { HOUR_MS, latencySelect, latencyUpsert, rollupSelect, rollupUpsert } from './rollup-schema.js';

const MARKED = '(SELECT e.* FROM usage_events e JOIN temp.rollup_batch b ON b.request_id = e.request_id)';

export class SqliteRollups {
  private readonly markRow: Statement<[string]>;
  private readonly addTotals: Statement;
  private readonly addLatency: Statement;
  private readonly clearMarks: Statement;
  private readonly pruneTotals: Statement<[number]>;
  private readonly pruneLatency: Statement<[number]>;
  private readonly reads = new Map<string, Statement>();

  constructor(private readonly db: SqliteDatabase) {
    db.exec('CREATE TEMP TABLE IF NOT EXISTS rollup_batch (request_id TEXT NOT NULL PRIMARY KEY)');
    this.markRow = db.prepare('INSERT OR IGNORE INTO temp.rollup_batch (request_id) VALUES (?)');
    this.addTotals = db.prepare(rollupUpsert('usage_hourly', 'usage_hourly', rollupSelect(MARKED)));
    this.addLatency = db.prepare(latencyUpsert('usage_hourly_latency', 'usage_hourly_latency', latencySelect(MARKED)));
    this.clearMarks = db.prepare('DELETE FROM temp.rollup_batch');
    // Whole hours only: an hour that started before the cutoff but ends after it is kept.
    this.pruneTotals = db.prepare(`DELETE FROM usage_hourly WHERE hour + ${HOUR_MS} <= ?`);
    this.pruneLatency = db.prepare(`DELETE FROM usage_hourly_latency WHERE hour + ${HOUR_MS} <= ?`);
  }

  mark(requestId: string): void {
    this.markRow.run(requestId);
  }

  /** Call inside the insert transaction, after the marks. */
  flushMarked(): void {
    this.addTotals.run();
    this.addLatency.run();
    this.clearMarks.run();
  }

  prune(before: number): void {
    this.pruneTotals.run(before);
    this.pruneLatency.run(before);
  }

  private statement(text: string): Statement {
    let s = this.reads.get(text);
    if (!s) {
      s = this.db.prepare(text);
      this.reads.set(text, s);
    }
    return s;
  }

  usage(query: UsageQuery): UsageRow[] {
    const t = totalsSql('usage_hourly', query, () => '?');
    const l = latencySql('usage_hourly_latency', query, () => '?');
    const totals = this.statement(t.text).all(...t.params) as Array<Record<string, unknown>>;
    const buckets = this.statement(l.text).all(...l.params) as Array<Record<string, unknown>>;
    return toUsageRows(query, totals, buckets);
  }
}
