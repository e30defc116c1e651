/**
 * `tollgate logs`: reads the request log with the same filters as GET /api/logs, either from
 * the local store named in the config or from a running gateway (`--url`, admin key from
 * `--admin-key` or TOLLGATE_ADMIN_KEY). Prints one line per request in the familiar one-line
 * shape (or JSON lines with `--json`), oldest first; `--follow` keeps polling for new rows.
 */
import { request } from 'undici';
import { parseLogFilter } from '../http/log-query.js';
import { prettyLine } from '../metering/console-sink.js';
import type { UsageEvent } from '../metering/usage-event.js';
import type { EventFilter } from '../stores/events/event-store.js';
import { openEventStore } from '../stores/events/open-event-store.js';
import { loadConfig } from '../config/load.js';
import { parseFlags, UsageError } from './usage-error.js';
import { resolveConfigPath } from './config-path.js';

type Fetch = (filter: Record<string, string>, limit: number) => Promise<UsageEvent[]>;

const FLAGS = {
  config: { type: 'string', short: 'c' },
  url: { type: 'string' },
  'admin-key': { type: 'string' },
  since: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  model: { type: 'string' },
  provider: { type: 'string' },
  tenant: { type: 'string' },
  operation: { type: 'string' },
  status: { type: 'string' },
  'cache-status': { type: 'string' },
  'request-id': { type: 'string' },
  limit: { type: 'string' },
  follow: { type: 'boolean', short: 'f' },
  json: { type: 'boolean' },
  'interval-ms': { type: 'string' },
} as const;

function remoteFetch(url: string, adminKey: string | undefined): Fetch {
  return async (filter, limit) => {
    const qs = new URLSearchParams({ ...filter, limit: String(limit) });
    const res = await request(`${url.replace(/\/$/, '')}/api/logs?${qs}`, { headers: adminKey ? { authorization: `Bearer ${adminKey}` } : {} });
    const body = (await res.body.json()) as { data?: UsageEvent[]; error?: { message: string } };
    if (res.statusCode !== 200) throw new Error(`gateway answered ${res.statusCode}: ${body.error?.message ?? 'error'}`);
    return body.data ?? [];
  };
}

async function localFetch(configPath: string | undefined): Promise<{ fetch: Fetch; close(): Promise<void> }> {
  const config = loadConfig(resolveConfigPath(configPath), process.env);
  if (config.source.storage.startsWith('none://')) throw new UsageError('this config has no request log (storage: none://)');
  const store = await openEventStore(config.source.storage);
  return {
    fetch: async (filter, limit) => (await store.query(parseLogFilter(filter) as EventFilter, limit)).rows,
    close: () => store.close(),
  };
}

function filterFrom(v: Record<string, string | boolean | undefined>): Record<string, string> {
  const map: Record<string, string> = {
    since: 'since', from: 'from', to: 'to', model: 'model', provider: 'provider', tenant: 'tenant', operation: 'operation',
    status: 'status', 'cache-status': 'cacheStatus', 'request-id': 'requestId',
  };
  const out: Record<string, string> = {};
  for (const [flag, key] of Object.entries(map)) if (typeof v[flag] === 'string') out[key] = v[flag] as string;
  try {
    parseLogFilter(out); // validates now, so a typo fails before any I/O
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  return out;
}

async function follow(fetch: Fetch, filter: Record<string, string>, print: (e: UsageEvent) => void, intervalMs: number, first: UsageEvent[]): Promise<never> {
  const seen = new Set(first.map((e) => e.requestId));
  let from = first.reduce((m, e) => Math.max(m, e.time), Date.now() - 60_000);
  for (;;) {
    await new Promise((r) => setTimeout(r, intervalMs));
    const rows = (await fetch({ ...filter, from: String(from) }, 1000)).reverse();
    for (const e of rows) {
      if (seen.has(e.requestId)) continue;
      seen.add(e.requestId);
      from = Math.max(from, e.time);
      print(e);
    }
    if (seen.size > 100_000) seen.clear();
  }
}

export async function runLogs(args: string[]): Promise<number> {
  const { values } = parseFlags(args, FLAGS);
  const filter = filterFrom(values);
  const limit = Number(values.limit ?? 50);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit must be an integer from 1 to 1000');
  const source = values.url
    ? { fetch: remoteFetch(values.url, values['admin-key'] ?? process.env.TOLLGATE_ADMIN_KEY), close: async () => undefined }
    : await localFetch(values.config);
  const print = (e: UsageEvent): void => { process.stdout.write(`${values.json ? JSON.stringify(e) : prettyLine(e)}\n`); };
  try {
    const rows = (await source.fetch(filter, limit)).reverse();
    rows.forEach(print);
    if (values.follow) await follow(source.fetch, filter, print, Number(values['interval-ms'] ?? 1000), rows);
    return 0;
  } finally {
    await source.close();
  }
}
