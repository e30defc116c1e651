/**
 * Aggregates a batch of stored UsageEvents into rollup rows in JavaScript, with exactly the
 * semantics of rollupSelect/latencySelect (rollup-schema.ts): the SQLite store upserts these
 * for the events its INSERT actually added (so a replayed event is never counted twice), and
 * tests use them as the expected totals.
 */
import { jsonString } from '../logging/json-text.js';
import type { UsageEvent } from '../metering/usage-event.js';
import { bucketOf } from './latency-sketch.js';
import { HOUR_MS } from './rollup-schema.js';

export interface RollupKey {
  hour: number;
  provider: string;
  model: string;
  tenant: string;
  operation: string;
}

export interface RollupTotals {
  requests: number;
  errors: number;
  tokens_in: number;
  tokens_out: number;
  cache_hits: number;
  cache_misses: number;
  cost_micros: number;
  unpriced: number;
  saved_micros: number;
  latency_sum_ms: number;
}

export interface RollupRow extends RollupKey, RollupTotals {
  latency: Map<number, number>;
}

/** The fields of an event the rollups read (stores hand in their stored, normalised values). */
export type RollupSource = Pick<UsageEvent, 'time' | 'provider' | 'model' | 'tenant' | 'operation' | 'status' | 'tokensIn' | 'tokensOut' | 'cacheStatus' | 'costMicros' | 'savedMicros' | 'latencyMs'>;

export function rollupKeyOf(e: RollupSource): RollupKey {
  return { hour: Math.floor(e.time / HOUR_MS) * HOUR_MS, provider: e.provider ?? '', model: e.model ?? '', tenant: e.tenant ?? '', operation: e.operation ?? '' };
}

/**
 * A rollup key's identity within one batch: the JSON text of its fields, written out rather than
 * serialized (json-text.ts; a `JSON.stringify` call per event was most of this function's cost).
 */
function groupId(e: RollupSource): string {
  // Absent values group with empty ones, as in the key itself (rollupKeyOf).
  return `${Math.floor(e.time / HOUR_MS)},${jsonString(e.provider ?? '')},${jsonString(e.model ?? '')},${jsonString(e.tenant ?? '')},${jsonString(e.operation ?? '')}`;
}

/** Whether `e` belongs to the same rollup key as `row` (absent values group with empty ones). */
function sameKey(row: RollupRow, e: RollupSource): boolean {
  return row.provider === (e.provider ?? '') && row.model === (e.model ?? '') && row.tenant === (e.tenant ?? '')
    && row.operation === (e.operation ?? '') && row.hour === Math.floor(e.time / HOUR_MS) * HOUR_MS;
}

export function rollupBatch(events: readonly RollupSource[]): RollupRow[] {
  const groups = new Map<string, RollupRow>();
  let row: RollupRow | undefined;
  for (const e of events) {
    // Consecutive events mostly share a key: comparing with the last row's key is cheaper than
    // writing out and looking up the group id.
    if (row === undefined || !sameKey(row, e)) {
      const id = groupId(e);
      row = groups.get(id);
      if (!row) {
        row = { ...rollupKeyOf(e), requests: 0, errors: 0, tokens_in: 0, tokens_out: 0, cache_hits: 0, cache_misses: 0, cost_micros: 0, unpriced: 0, saved_micros: 0, latency_sum_ms: 0, latency: new Map() };
        groups.set(id, row);
      }
    }
    row.requests++;
    if (e.status >= 400) row.errors++;
    row.tokens_in += e.tokensIn;
    row.tokens_out += e.tokensOut;
    if (e.cacheStatus === 'HIT') row.cache_hits++;
    if (e.cacheStatus === 'MISS') row.cache_misses++;
    if (e.costMicros === null) row.unpriced++;
    else row.cost_micros += e.costMicros;
    row.saved_micros += e.savedMicros;
    row.latency_sum_ms += e.latencyMs;
    const b = bucketOf(e.latencyMs);
    row.latency.set(b, (row.latency.get(b) ?? 0) + 1);
  }
  return [...groups.values()];
}
