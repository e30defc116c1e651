/**
 * The usage_events table's columns, shared by both log stores: which UsageEvent field each
 * column holds, how it is normalized on the way in, and how a stored row becomes an event again.
 *
 * Normalization exists so that no single odd value can make a batch fail and then fail again
 * on every spool replay: strings go through storeSafeText, integer columns are rounded,
 * non-finite numbers become null (or 0 where the field is required), and metadata/payload are
 * stored as JSON text (exact round trip, NUL included). It does not validate business rules;
 * the event is built from an allowlist before it gets here. Backend-specific encodings (SQLite
 * 0/1 booleans, PostgreSQL arrays) live with each backend.
 *
 * `collect` has no column: an event whose client asked not to be logged (collect: false) is
 * never stored (the sink already skips it; storableEvents repeats that here as a second guard), so
 * every stored row reads back with collect: true.
 */
import type { UsageEvent } from '../../metering/usage-event.js';
import { storeSafeText } from './store-text.js';

export type ColumnKind = 'text' | 'int' | 'real' | 'bool' | 'json';

export interface EventColumn {
  readonly name: string;
  readonly field: keyof UsageEvent;
  readonly kind: ColumnKind;
  readonly nullable: boolean;
}

function col(name: string, field: keyof UsageEvent, kind: ColumnKind, nullable = false): EventColumn {
  return { name, field, kind, nullable };
}

/** In table order; request_id first (the primary key), time second. */
export const EVENT_COLUMNS: readonly EventColumn[] = [
  col('request_id', 'requestId', 'text'),
  col('time', 'time', 'int'),
  col('tenant', 'tenant', 'text', true),
  col('key_id', 'keyId', 'text', true),
  // `user` is reserved in PostgreSQL; the column says whose request it was.
  col('end_user', 'user', 'text', true),
  col('operation', 'operation', 'text', true),
  col('metadata', 'metadata', 'json', true),
  col('endpoint', 'endpoint', 'text'),
  col('provider', 'provider', 'text', true),
  col('model', 'model', 'text', true),
  col('route_alias', 'routeAlias', 'text', true),
  col('status', 'status', 'int'),
  col('error_code', 'errorCode', 'text', true),
  col('cache_status', 'cacheStatus', 'text', true),
  col('attempts', 'attempts', 'int'),
  col('fallback_index', 'fallbackIndex', 'int'),
  col('latency_ms', 'latencyMs', 'real'),
  col('ttft_ms', 'ttftMs', 'real', true),
  col('tokens_in', 'tokensIn', 'int'),
  col('tokens_out', 'tokensOut', 'int'),
  col('tokens_cached', 'tokensCached', 'int'),
  col('tokens_cache_write', 'tokensCacheWrite', 'int'),
  // Workers AI bills fractional neurons.
  col('neurons', 'neurons', 'real', true),
  col('cost_micros', 'costMicros', 'int', true),
  col('saved_micros', 'savedMicros', 'int'),
  col('stream', 'stream', 'bool'),
  col('partial', 'partial', 'bool'),
  col('estimated', 'estimated', 'bool'),
  col('payload', 'payload', 'json', true),
];

export type StoredValue = string | number | boolean | null;

function toJsonText(value: unknown): string | null {
  try {
    // Well-formed JSON.stringify escapes NUL and lone surrogates as ASCII, so any text column takes it.
    return JSON.stringify(value) ?? null;
  } catch {
    return null;
  }
}

function normalize(column: EventColumn, value: unknown): StoredValue {
  if (value === null || value === undefined) {
    if (column.nullable) return null;
    return column.kind === 'text' ? '' : column.kind === 'bool' ? false : column.kind === 'json' ? null : 0;
  }
  switch (column.kind) {
    case 'text': return storeSafeText(String(value));
    case 'bool': return value === true;
    case 'json': return toJsonText(value);
    case 'int':
    case 'real': {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n)) return column.nullable ? null : 0;
      return column.kind === 'int' ? Math.round(n) : n;
    }
  }
}

/**
 * The event's values in EVENT_COLUMNS order, normalized for storage; `boolsAsInts` for SQLite,
 * which has no boolean type. A plain loop: this runs once per stored row.
 */
export function toStoredValues(event: UsageEvent, boolsAsInts = false): StoredValue[] {
  const out: StoredValue[] = new Array<StoredValue>(EVENT_COLUMNS.length);
  for (let i = 0; i < EVENT_COLUMNS.length; i++) {
    const column = EVENT_COLUMNS[i];
    const v = normalize(column, event[column.field]);
    out[i] = boolsAsInts && typeof v === 'boolean' ? (v ? 1 : 0) : v;
  }
  return out;
}

function fromStored(column: EventColumn, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (column.kind) {
    case 'text': return String(value);
    // SQLite hands back 0/1, PostgreSQL true/false.
    case 'bool': return value === true || value === 1;
    case 'json': return JSON.parse(String(value)) as unknown;
    // PostgreSQL bigint arrives as a string (it may exceed 2^53; ours never do).
    case 'int':
    case 'real': return typeof value === 'number' ? value : Number(value);
  }
}

/** The events a store may keep: those whose client did not opt out of logging. */
export function storableEvents(events: readonly UsageEvent[]): readonly UsageEvent[] {
  return events.every((e) => e.collect !== false) ? events : events.filter((e) => e.collect !== false);
}

/** Rebuilds a UsageEvent from a row keyed by column name. */
export function fromStoredRow(row: Record<string, unknown>): UsageEvent {
  const event: Record<string, unknown> = { collect: true };
  for (const column of EVENT_COLUMNS) event[column.field] = fromStored(column, row[column.name]);
  // Every field is written above from the column table, which covers the whole interface.
  return event as unknown as UsageEvent;
}

/** Comma-separated column names, for SELECT and INSERT lists. */
export const EVENT_COLUMN_LIST = EVENT_COLUMNS.map((c) => c.name).join(', ');
