/**
 * Turns query-string parameters of the log endpoints (and the `tollgate logs` flags) into an
 * EventFilter. Times accept ISO 8601, epoch milliseconds, or a relative `since` such as `15m`,
 * `2h`, `7d`. Anything malformed is an `invalid_request` naming the parameter, never a silent
 * "match everything".
 */
import { GatewayError } from '../errors/gateway-error.js';
import type { EventFilter } from '../stores/events/event-store.js';

const DURATION = /^(\d+)(s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(value: string): number | undefined {
  const m = DURATION.exec(value.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]] : undefined;
}

export function parseTime(value: string, param: string): number {
  const asNumber = Number(value);
  if (value.trim() !== '' && Number.isFinite(asNumber)) return asNumber;
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw new GatewayError('invalid_request', { param, detail: `${param} must be an ISO 8601 time or epoch milliseconds.` });
  return parsed;
}

const TEXT_FILTERS = ['provider', 'model', 'tenant', 'operation', 'requestId', 'errorCode'] as const;

export function parseLogFilter(q: Record<string, string | undefined>, now = Date.now()): EventFilter {
  const filter: EventFilter = {};
  if (q.since) {
    const ms = parseDuration(q.since);
    if (ms === undefined) throw new GatewayError('invalid_request', { param: 'since', detail: 'since must look like 30s, 15m, 2h or 7d.' });
    filter.from = now - ms;
  }
  if (q.from) filter.from = parseTime(q.from, 'from');
  if (q.to) filter.to = parseTime(q.to, 'to');
  const cache = q.cacheStatus ?? q.cache_status;
  if (cache) {
    const up = cache.toUpperCase();
    if (up !== 'HIT' && up !== 'MISS' && up !== 'BYPASS') throw new GatewayError('invalid_request', { param: 'cacheStatus', detail: 'cacheStatus is HIT, MISS or BYPASS.' });
    filter.cacheStatus = up;
  }
  if (q.status) {
    const s = Number(q.status);
    if (!Number.isInteger(s) || s < 100 || s > 599) throw new GatewayError('invalid_request', { param: 'status', detail: 'status must be an HTTP status code.' });
    filter.status = s;
  }
  for (const key of TEXT_FILTERS) {
    const v = q[key];
    if (v !== undefined && v !== '') filter[key] = v.slice(0, 256);
  }
  return filter;
}

export function parseLimit(value: string | undefined): number {
  if (value === undefined) return 100;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new GatewayError('invalid_request', { param: 'limit', detail: 'limit must be an integer from 1 to 1000.' });
  return n;
}
