/**
 * The PostgreSQL side of the hourly rollups. The log store's batch insert becomes one statement
 * with data-modifying CTEs: the INSERT … ON CONFLICT DO NOTHING RETURNING * yields exactly the
 * rows added, and two further INSERT … ON CONFLICT DO UPDATE add their totals and latency
 * buckets to the rollups — one statement, one transaction, safe with several replicas writing
 * (the upserts add, they never overwrite). Reads share analytics-sql.ts with SQLite.
 */
import type pg from 'pg';
import type { UsageQuery, UsageRow } from './analytics-store.js';
import { latencySql, toUsageRows, totalsSql } from './analytics-sql.js';
import { HOUR_MS, latencySelect, latencyUpsert, rollupSelect, rollupUpsert } from './rollup-schema.js';

/** Wraps an `INSERT … RETURNING *` into usage_events so the same statement updates the rollups. */
export function withRollups(schema: string, insertReturning: string): string {
  return `WITH ins AS (${insertReturning}),
  totals AS (${rollupUpsert(`${schema}.usage_hourly AS r`, 'r', rollupSelect('ins'))}),
  latency AS (${latencyUpsert(`${schema}.usage_hourly_latency AS r`, 'r', latencySelect('ins'))})
  SELECT count(*)::int AS inserted FROM ins`;
}

export async function prunePostgresRollups(pool: pg.Pool, schema: string, before: number): Promise<void> {
  // Whole hours only: an hour that started before the cutoff but ends after it is kept.
  await pool.query(`DELETE FROM ${schema}.usage_hourly WHERE hour + ${HOUR_MS} <= $1`, [before]);
  await pool.query(`DELETE FROM ${schema}.usage_hourly_latency WHERE hour + ${HOUR_MS} <= $1`, [before]);
}

export async function postgresUsage(pool: pg.Pool, schema: string, query: UsageQuery): Promise<UsageRow[]> {
  const t = totalsSql(`${schema}.usage_hourly`, query, (n) => `$${n}`);
  const l = latencySql(`${schema}.usage_hourly_latency`, query, (n) => `$${n}`);
  const [totals, buckets] = await Promise.all([pool.query<Record<string, unknown>>(t.text, t.params), pool.query<Record<string, unknown>>(l.text, l.params)]);
  return toUsageRows(query, totals.rows, buckets.rows);
}
