/**
 * The SQLite side of the hourly rollups. Inside the store's insert transaction, the events whose
 * INSERT actually added a row (a replayed event adds none) are aggregated in JavaScript
 * (rollup-batch.ts, the same semantics as the SQL in rollup-schema.ts that the migration's
 * backfill and PostgreSQL use) and added with one parameterised upsert per rollup key and per
 * latency bucket — all before the transaction commits, so events and rollups never disagree.
 *
 * Aggregating in JavaScript rather than re-reading the inserted rows with SQL matters: a
 * gateway's batches are small (a handful of events at a time), and the SQL route paid a temp
 * table, a join and a 90-way CASE per batch, which made the rollups most of the log writer's CPU.
 * Reads group and sum the rollup rows (analytics-sql.ts).
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../stores/events/sqlite-connection.js';
import type { UsageQuery, UsageRow } from './analytics-store.js';
import { latencySql, toUsageRows, totalsSql } from './analytics-sql.js';
import { rollupBatch, type RollupSource } from './rollup-batch.js';
import { HOUR_MS, KEY_COLUMNS, latencyUpsert, rollupUpsert, SUM_COLUMNS } from './rollup-schema.js';

type Param = string | number;

function placeholders(n: number): string {
  return `VALUES (${Array.from({ length: n }, () => '?').join(', ')})`;
}

export class SqliteRollups {
  private readonly addTotals: Statement<Param[]>;
  private readonly addLatency: Statement<Param[]>;
  private readonly pruneTotals: Statement<[number]>;
  private readonly pruneLatency: Statement<[number]>;
  private readonly reads = new Map<string, Statement>();

  constructor(private readonly db: SqliteDatabase) {
    this.addTotals = db.prepare<Param[]>(rollupUpsert('usage_hourly', 'usage_hourly', placeholders(KEY_COLUMNS.length + SUM_COLUMNS.length)));
    this.addLatency = db.prepare<Param[]>(latencyUpsert('usage_hourly_latency', 'usage_hourly_latency', placeholders(KEY_COLUMNS.length + 2)));
    // Whole hours only: an hour that started before the cutoff but ends after it is kept.
    this.pruneTotals = db.prepare(`DELETE FROM usage_hourly WHERE hour + ${HOUR_MS} <= ?`);
    this.pruneLatency = db.prepare(`DELETE FROM usage_hourly_latency WHERE hour + ${HOUR_MS} <= ?`);
  }

  /** Call inside the insert transaction with the events it actually inserted. */
  add(inserted: readonly RollupSource[]): void {
    for (const row of rollupBatch(inserted)) {
      const key: Param[] = [row.hour, row.provider, row.model, row.tenant, row.operation];
      this.addTotals.run(...key, ...SUM_COLUMNS.map((c) => row[c]));
      for (const [bucket, count] of row.latency) this.addLatency.run(...key, bucket, count);
    }
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
