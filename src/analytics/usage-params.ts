/**
 * Reads an analytics request's parameters (query string or CLI flags) into a UsageQuery, with
 * one error message per bad value. Times are ISO dates or epoch ms; `since` is a duration back
 * from now (`24h`, `7d`). Group fields come from a fixed list.
 */
import { GROUP_FIELDS, type GroupField, type UsageQuery } from './analytics-store.js';
import { MAX_USAGE_ROWS } from './analytics-sql.js';

export class UsageParamError extends Error {
  constructor(readonly param: string, message: string) {
    super(message);
  }
}

const DURATION = /^(\d+)(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : undefined;
}

export function parseTime(param: string, text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(n)) throw new UsageParamError(param, `${param} must be an ISO date or epoch milliseconds.`);
  return n;
}

export function parseGroupBy(text: string | undefined, fallback: GroupField[]): GroupField[] {
  if (text === undefined || text.trim() === '') return fallback;
  const fields = text.split(',').map((f) => f.trim()).filter(Boolean);
  for (const f of fields) {
    if (!(GROUP_FIELDS as readonly string[]).includes(f)) throw new UsageParamError('groupBy', `groupBy takes ${GROUP_FIELDS.join(', ')}.`);
  }
  return fields as GroupField[];
}

export function usageQueryFrom(q: Record<string, string | undefined>, now = Date.now()): UsageQuery {
  const since = q.since !== undefined ? parseDuration(q.since) : undefined;
  if (q.since !== undefined && since === undefined) throw new UsageParamError('since', 'since is a duration like 30m, 24h or 7d.');
  const to = q.to !== undefined ? parseTime('to', q.to) : now + 1;
  const from = q.from !== undefined ? parseTime('from', q.from) : to - (since ?? 86_400_000);
  if (from >= to) throw new UsageParamError('from', 'from must be before to.');
  const limit = q.limit !== undefined ? Number(q.limit) : MAX_USAGE_ROWS;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_USAGE_ROWS) throw new UsageParamError('limit', `limit is a whole number 1–${MAX_USAGE_ROWS}.`);
  const orderBy = q.orderBy ?? 'time';
  if (orderBy !== 'time' && orderBy !== 'cost' && orderBy !== 'requests') throw new UsageParamError('orderBy', 'orderBy is time, cost or requests.');
  const filter: UsageQuery['filter'] = {};
  for (const k of ['provider', 'model', 'tenant', 'operation'] as const) if (q[k] !== undefined) filter[k] = q[k];
  return { from, to, groupBy: parseGroupBy(q.groupBy, ['hour', 'provider', 'model']), filter, orderBy, limit };
}
