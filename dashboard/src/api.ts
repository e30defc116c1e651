/**
 * The dashboard's only way to the data: the gateway's operator APIs, called same-origin with the
 * session cookie. A 401 means the session ended, so the page goes back to the login form. This
 * module shapes no data beyond typing what the APIs answer.
 */

export interface Session {
  csrf: string | null;
  expiresAt: number | null;
  features: { budgets: boolean; cache: boolean };
}

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

let csrf: string | null = null;

export function setCsrf(token: string | null): void {
  csrf = token;
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.method && init.method !== 'GET' && csrf) headers['x-tollgate-csrf'] = csrf;
  const res = await fetch(path, { ...init, credentials: 'same-origin', headers: { ...headers, ...(init.headers as Record<string, string> | undefined) } });
  if (res.status === 401) {
    window.location.assign('/dashboard/');
    throw new ApiError(401, 'session ended');
  }
  if (!res.ok) {
    let message = `${res.status}`;
    try {
      message = ((await res.json()) as { error?: { message?: string } }).error?.message ?? message;
    } catch { /* not JSON */ }
    throw new ApiError(res.status, message);
  }
  return (res.status === 204 ? undefined : await res.json()) as T;
}

export function getJson<T>(path: string, params: Record<string, string | number | undefined> = {}): Promise<T> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const qs = q.toString();
  return call<T>(qs ? `${path}?${qs}` : path);
}

export const fetchSession = (): Promise<Session> => call<Session>('/dashboard/session');

export async function logout(): Promise<void> {
  await fetch('/dashboard/logout', { method: 'POST', credentials: 'same-origin', headers: csrf ? { 'x-tollgate-csrf': csrf } : {} });
  window.location.assign('/dashboard/');
}

/** One row of GET /api/analytics/usage. */
export interface UsageRow {
  hour?: string;
  day?: string;
  provider?: string;
  model?: string;
  tenant?: string;
  operation?: string;
  requests: number;
  errors: number;
  tokensIn: number;
  tokensOut: number;
  cacheHits: number;
  cacheMisses: number;
  costUsd: number;
  unpricedRequests: number;
  savedUsd: number;
  latencyAvgMs: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  latencyP99Ms: number;
}

export type Dimension = 'hour' | 'day' | 'provider' | 'model' | 'tenant' | 'operation';

export async function usage(from: number, to: number, groupBy: Dimension[], extra: Record<string, string> = {}): Promise<UsageRow[]> {
  const r = await getJson<{ data: UsageRow[] }>('/api/analytics/usage', { from, to, groupBy: groupBy.join(','), ...extra });
  return r.data;
}

/** One request-log row (a UsageEvent). */
export interface LogRow {
  requestId: string;
  time: number;
  tenant: string | null;
  keyId: string | null;
  user: string | null;
  operation: string | null;
  metadata: Record<string, string> | null;
  endpoint: string;
  provider: string | null;
  model: string | null;
  routeAlias: string | null;
  status: number;
  errorCode: string | null;
  cacheStatus: 'HIT' | 'MISS' | 'BYPASS' | null;
  attempts: number;
  fallbackIndex: number;
  latencyMs: number;
  ttftMs: number | null;
  tokensIn: number;
  tokensOut: number;
  costMicros: number | null;
  savedMicros: number;
  [field: string]: unknown;
}

export interface LogPage {
  data: LogRow[];
  nextCursor: string | null;
}

export interface ProviderHealth {
  name: string;
  status: string;
  lastCheck: number | null;
  lastStatus: number | null;
  latencyMs: number | null;
  targets: Array<{ id: string; breaker: string; health: string; errorRate: number; samples: number; latencyMs?: number }>;
}

export interface Health {
  status: string;
  version: string;
  uptimeSeconds: number;
  requests: number;
  averageLatencyMs: number | null;
  components: Record<string, { status?: string; [k: string]: unknown }>;
  providers: ProviderHealth[];
}

export interface AlertRuleInfo {
  name: string;
  signal: string;
  scope: string;
  comparison: 'above' | 'below';
  threshold: number;
  severity: string;
}

export interface AlertEntry {
  rule: string;
  scope?: string;
  signal?: string;
  value?: number;
  threshold?: number;
  state?: string;
  at?: number;
  since?: number;
  [k: string]: unknown;
}

export interface Alerts {
  firing: AlertEntry[];
  history: AlertEntry[];
  rules: AlertRuleInfo[];
}

export interface BudgetRow {
  kind: 'key' | 'tenant';
  id: string;
  name: string;
  tenant: string;
  window: 'minute' | 'daily' | 'monthly';
  limitUsd: number;
  spentUsd: number;
  reservedUsd: number;
  resetsAt: string;
  approaching: boolean;
}

/** Budgets exist only where the guards are built and some key or tenant has one; null means "not configured". */
export async function budgets(session: Session): Promise<BudgetRow[] | null> {
  if (!session.features.budgets) return null;
  try {
    const rows = (await getJson<{ data: BudgetRow[] }>('/api/admin/budgets')).data;
    return rows.length > 0 ? rows : null;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

export type CacheStats = Record<string, number | string | boolean | null>;

export async function cacheStats(session: Session): Promise<CacheStats | null> {
  if (!session.features.cache) return null;
  try {
    const stats = await getJson<CacheStats>('/api/admin/cache');
    return stats.enabled === false ? null : stats;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}
