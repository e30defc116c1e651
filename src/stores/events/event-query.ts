/**
 * Turns an EventFilter, a cursor position and a page size into one SQL SELECT, for both log
 * stores (they differ only in how a parameter placeholder is spelled), and turns the rows it
 * returns into an EventPage.
 *
 * Order is always newest first by (time DESC, request_id DESC), the keyset that every index on
 * usage_events ends with, so a filtered page is an index range scan rather than a sort. One row
 * more than the page size is fetched to learn whether a next page exists without a COUNT.
 * Filter string values go through storeSafeText, exactly as stored values did, so a filter
 * containing NUL matches the row it was meant to match.
 */
import type { UsageEvent } from '../../metering/usage-event.js';
import { encodeCursor, type CursorPosition } from './event-cursor.js';
import type { EventFilter, EventPage } from './event-store.js';
import { EVENT_COLUMN_LIST } from './event-columns.js';
import { storeSafeText } from './store-text.js';

export const MAX_PAGE_SIZE = 1000;

/** `(1) => '?'` for SQLite, `(n) => '$' + n` for PostgreSQL; n counts from 1. */
export type Placeholder = (index: number) => string;

export interface SqlStatement {
  text: string;
  params: Array<string | number>;
}

type EqualityKey = Exclude<keyof EventFilter, 'from' | 'to'>;

const EQUALITY_COLUMNS: ReadonlyArray<readonly [EqualityKey, string]> = [
  ['tenant', 'tenant'],
  ['provider', 'provider'],
  ['model', 'model'],
  ['operation', 'operation'],
  ['cacheStatus', 'cache_status'],
  ['status', 'status'],
  ['errorCode', 'error_code'],
  ['requestId', 'request_id'],
];

/** Page size within [1, MAX_PAGE_SIZE]; anything unusable (NaN, Infinity) means the maximum. */
export function clampPageSize(limit: number): number {
  if (!Number.isFinite(limit)) return MAX_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(limit)));
}

/**
 * Stored times are whole milliseconds, so rounding a bound up changes no result (for `>=` and
 * for `<` alike) and keeps a fractional bound from failing PostgreSQL's bigint parsing. An
 * infinite or NaN bound filters nothing.
 */
function timeBound(value: number | undefined): number | null {
  return value != null && Number.isFinite(value) ? Math.ceil(value) : null;
}

/** The WHERE clause (without the keyword; '' when nothing filters) and its parameters. */
export function buildWhere(filter: EventFilter, after: CursorPosition | null, placeholder: Placeholder): SqlStatement {
  const terms: string[] = [];
  const params: Array<string | number> = [];
  const bind = (value: string | number): string => {
    params.push(typeof value === 'string' ? storeSafeText(value) : value);
    return placeholder(params.length);
  };
  const from = timeBound(filter.from);
  const to = timeBound(filter.to);
  if (from !== null) terms.push(`time >= ${bind(from)}`);
  if (to !== null) terms.push(`time < ${bind(to)}`);
  for (const [key, column] of EQUALITY_COLUMNS) {
    const value = filter[key];
    if (value != null) terms.push(`${column} = ${bind(value)}`);
  }
  // Row-value comparison: both engines turn it into one range bound on the (…, time, request_id) index.
  if (after) terms.push(`(time, request_id) < (${bind(after.time)}, ${bind(after.requestId)})`);
  return { text: terms.join(' AND '), params };
}

/** SELECT for one page: newest first, `pageSize + 1` rows. */
export function buildPageQuery(
  table: string, filter: EventFilter, after: CursorPosition | null, pageSize: number, placeholder: Placeholder,
): SqlStatement {
  const where = buildWhere(filter, after, placeholder);
  const params = [...where.params, pageSize + 1];
  const text = `SELECT ${EVENT_COLUMN_LIST} FROM ${table}` +
    (where.text ? ` WHERE ${where.text}` : '') +
    ` ORDER BY time DESC, request_id DESC LIMIT ${placeholder(params.length)}`;
  return { text, params };
}

/** Cuts the extra probe row off and derives the next cursor from the last row kept. */
export function toPage(rows: UsageEvent[], pageSize: number): EventPage {
  if (rows.length <= pageSize) return { rows, nextCursor: null };
  const kept = rows.slice(0, pageSize);
  const last = kept[kept.length - 1];
  return { rows: kept, nextCursor: encodeCursor({ time: last.time, requestId: last.requestId }) };
}

/** Every matching row, newest first, read as successive keyset pages so memory stays bounded. */
export async function* scanPages(
  readPage: (cursor: string | null) => Promise<EventPage>,
): AsyncGenerator<UsageEvent, void, undefined> {
  let cursor: string | null = null;
  do {
    const page: EventPage = await readPage(cursor);
    yield* page.rows;
    cursor = page.nextCursor;
  } while (cursor !== null);
}
