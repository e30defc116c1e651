/**
 * The hourly analytics rollups, as SQL shared by the SQLite and PostgreSQL log stores:
 * `usage_hourly` (one row per hour × provider × model × tenant × operation with additive
 * totals) and `usage_hourly_latency` (the same key plus a latency-sketch bucket, with a count).
 * Every column is a sum, so rollups merge by addition: an upsert adds a batch, a query adds
 * hours. Absent key values are stored as '' (primary keys cannot hold NULL) and read back as null.
 *
 * Here: the table definitions, the migration (with a backfill from the rows already stored, so
 * an upgraded database reports its history) and the aggregating SELECT both use.
 */
import type { Migration } from '../stores/events/migrations.js';
import { bucketCaseSql } from './latency-sketch.js';

export const HOUR_MS = 3_600_000;
export const KEY_COLUMNS = ['hour', 'provider', 'model', 'tenant', 'operation'] as const;
export const SUM_COLUMNS = ['requests', 'errors', 'tokens_in', 'tokens_out', 'cache_hits', 'cache_misses', 'cost_micros', 'unpriced', 'saved_micros', 'latency_sum_ms'] as const;

type Dialect = 'sqlite' | 'postgres';

function createTables(t: (name: string) => string, d: Dialect): string[] {
  const int = d === 'postgres' ? 'bigint' : 'INTEGER';
  const real = d === 'postgres' ? 'double precision' : 'REAL';
  const text = "text NOT NULL DEFAULT ''";
  const keys = `hour ${int} NOT NULL, provider ${text}, model ${text}, tenant ${text}, operation ${text}`;
  const sums = SUM_COLUMNS.map((c) => `${c} ${c === 'latency_sum_ms' ? real : int} NOT NULL DEFAULT 0`).join(', ');
  return [
    `CREATE TABLE ${t('usage_hourly')} (${keys}, ${sums}, PRIMARY KEY (${KEY_COLUMNS.join(', ')}))`,
    `CREATE TABLE ${t('usage_hourly_latency')} (${keys}, bucket integer NOT NULL, count ${int} NOT NULL, PRIMARY KEY (${KEY_COLUMNS.join(', ')}, bucket))`,
  ];
}

const KEY_SELECT = `(time / ${HOUR_MS}) * ${HOUR_MS} AS hour, COALESCE(provider, '') AS provider, COALESCE(model, '') AS model,
  COALESCE(tenant, '') AS tenant, COALESCE(operation, '') AS operation`;

/** The totals of `source` rows (usage_events columns) grouped by rollup key. */
export function rollupSelect(source: string): string {
  return `SELECT ${KEY_SELECT}, count(*) AS requests,
  sum(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS errors, sum(tokens_in) AS tokens_in, sum(tokens_out) AS tokens_out,
  sum(CASE WHEN cache_status = 'HIT' THEN 1 ELSE 0 END) AS cache_hits, sum(CASE WHEN cache_status = 'MISS' THEN 1 ELSE 0 END) AS cache_misses,
  COALESCE(sum(cost_micros), 0) AS cost_micros, sum(CASE WHEN cost_micros IS NULL THEN 1 ELSE 0 END) AS unpriced,
  sum(saved_micros) AS saved_micros, sum(latency_ms) AS latency_sum_ms
  FROM ${source} WHERE true GROUP BY 1, 2, 3, 4, 5`;
}

export function latencySelect(source: string): string {
  return `SELECT ${KEY_SELECT}, ${bucketCaseSql('latency_ms')} AS bucket, count(*) AS count FROM ${source} WHERE true GROUP BY 1, 2, 3, 4, 5, 6`;
}

/** `INSERT … ON CONFLICT DO UPDATE` adding to the existing totals; `ref` names the existing row. */
export function rollupUpsert(table: string, ref: string, values: string): string {
  const cols = [...KEY_COLUMNS, ...SUM_COLUMNS].join(', ');
  const set = SUM_COLUMNS.map((c) => `${c} = ${ref}.${c} + excluded.${c}`).join(', ');
  return `INSERT INTO ${table} (${cols}) ${values} ON CONFLICT (${KEY_COLUMNS.join(', ')}) DO UPDATE SET ${set}`;
}

export function latencyUpsert(table: string, ref: string, values: string): string {
  return `INSERT INTO ${table} (${KEY_COLUMNS.join(', ')}, bucket, count) ${values}
  ON CONFLICT (${KEY_COLUMNS.join(', ')}, bucket) DO UPDATE SET count = ${ref}.count + excluded.count`;
}

/** Migration 0200: rollup tables, an hour index for retention, and the backfill. */
export function rollupMigration(d: Dialect): Migration {
  return {
    version: '0200_usage_hourly',
    statements: (s) => {
      const t = (name: string): string => (d === 'postgres' ? `${s}.${name}` : name);
      const ref = (name: string): string => (d === 'postgres' ? 'r' : name);
      const as = d === 'postgres' ? ' AS r' : '';
      return [
        ...createTables(t, d),
        `CREATE INDEX usage_hourly_latency_hour ON ${t('usage_hourly_latency')} (hour)`,
        rollupUpsert(`${t('usage_hourly')}${as}`, ref('usage_hourly'), `${rollupSelect(t('usage_events'))}`),
        latencyUpsert(`${t('usage_hourly_latency')}${as}`, ref('usage_hourly_latency'), latencySelect(t('usage_events'))),
      ];
    },
  };
}
