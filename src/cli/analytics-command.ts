/**
 * `tollgate analytics`: usage from the hourly rollups — `--today`, `--week` or `--from/--to`,
 * `--group-by day,provider,model` (any of hour, day, provider, model, tenant, operation),
 * filters, and `--format table|csv|json` (`--out FILE` writes there instead of stdout). Reads
 * the local log store named in the config, or a running gateway with `--url` and the admin key
 * (`--admin-key` or TOLLGATE_ADMIN_KEY), through GET /api/analytics/usage.
 */
import { writeFileSync } from 'node:fs';
import { request } from 'undici';
import { isAnalyticsStore } from '../analytics/analytics-store.js';
import { formatUsage, type UsageFormat } from '../analytics/usage-format.js';
import { UsageParamError, usageQueryFrom } from '../analytics/usage-params.js';
import { toUsageView, type UsageView } from '../analytics/usage-view.js';
import { loadConfig } from '../config/load.js';
import { openEventStore } from '../stores/events/open-event-store.js';
import { resolveConfigPath } from './config-path.js';
import { parseFlags, UsageError } from './usage-error.js';

const FLAGS = {
  config: { type: 'string', short: 'c' },
  url: { type: 'string' },
  'admin-key': { type: 'string' },
  today: { type: 'boolean' },
  week: { type: 'boolean' },
  from: { type: 'string' },
  to: { type: 'string' },
  'group-by': { type: 'string' },
  provider: { type: 'string' },
  model: { type: 'string' },
  tenant: { type: 'string' },
  operation: { type: 'string' },
  'order-by': { type: 'string' },
  limit: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseFlags<typeof FLAGS>>['values'];

/** The query-string form shared by the local and remote paths (validated here, before any I/O). */
function paramsFrom(v: Values, now: number): Record<string, string> {
  if ([v.today, v.week, v.from !== undefined].filter(Boolean).length > 1) throw new UsageError('use one of --today, --week or --from/--to');
  const p: Record<string, string> = { groupBy: v['group-by'] ?? 'day,provider,model' };
  const midnight = new Date(now);
  midnight.setUTCHours(0, 0, 0, 0);
  if (v.today) p.from = String(midnight.getTime());
  else if (v.week) p.from = String(now - 7 * 86_400_000);
  else if (v.from !== undefined) p.from = v.from;
  else p.since = '24h';
  if (v.to !== undefined) p.to = v.to;
  for (const k of ['provider', 'model', 'tenant', 'operation', 'limit'] as const) if (v[k] !== undefined) p[k] = v[k];
  if (v['order-by'] !== undefined) p.orderBy = v['order-by'];
  try {
    usageQueryFrom(p, now);
  } catch (err) {
    if (err instanceof UsageParamError) throw new UsageError(`--${err.param === 'groupBy' ? 'group-by' : err.param}: ${err.message}`);
    throw err;
  }
  return p;
}

async function remoteRows(url: string, adminKey: string | undefined, params: Record<string, string>): Promise<UsageView[]> {
  const res = await request(`${url.replace(/\/$/, '')}/api/analytics/usage?${new URLSearchParams(params)}`, { headers: adminKey ? { authorization: `Bearer ${adminKey}` } : {} });
  const body = (await res.body.json()) as { data?: UsageView[]; error?: { message: string } };
  if (res.statusCode !== 200) throw new Error(`gateway answered ${res.statusCode}: ${body.error?.message ?? 'error'}`);
  return body.data ?? [];
}

async function localRows(configPath: string | undefined, params: Record<string, string>): Promise<UsageView[]> {
  const config = loadConfig(resolveConfigPath(configPath), process.env);
  if (config.source.storage.startsWith('none://')) throw new UsageError('this config has no request log (storage: none://)');
  const store = await openEventStore(config.source.storage);
  try {
    if (!isAnalyticsStore(store)) throw new Error('this log store keeps no analytics');
    return (await store.usage(usageQueryFrom(params))).map(toUsageView);
  } finally {
    await store.close();
  }
}

export async function runAnalytics(args: string[]): Promise<number> {
  const { values } = parseFlags(args, FLAGS);
  const format = (values.format ?? 'table') as UsageFormat;
  if (format !== 'table' && format !== 'csv' && format !== 'json') throw new UsageError('--format is table, csv or json');
  const params = paramsFrom(values, Date.now());
  const rows = values.url
    ? await remoteRows(values.url, values['admin-key'] ?? process.env.TOLLGATE_ADMIN_KEY, params)
    : await localRows(values.config, params);
  const text = formatUsage(rows, format);
  if (values.out) writeFileSync(values.out, text);
  else process.stdout.write(text);
  return 0;
}
