/**
 * Starts the servers the benchmark talks to, each as a separate Node process: the mock upstream
 * (always; it is also the "direct" target), the floor proxy and the gateways (only when a
 * scenario needs them). Every gateway target has a generated config pointing at the mock, and
 * everything it writes is kept in the bench's temp dir, never in the repository:
 *
 * - `gateway`: metering and logging fully on, as shipped: a SQLite request log, a spool dir, and
 *   one JSON line per request on stdout at level info;
 * - `gateway-bare`: the same gateway with its metering sinks and metrics off (`storage: none://`,
 *   no request lines, level warn), the baseline the cost of metering is measured against. It
 *   also has a `backup` provider and the `bench-fallback` route for the fallback row
 *   (`maxAttempts: 1`);
 * - `gateway-cache`, `gateway-obs`, `gateway-guards`, `gateway-guards-redis`: gateway-bare plus
 *   the one feature their rows measure; `gateway-full`: `gateway` plus every feature.
 *
 * A gateway's stdout goes straight to a file, not through a pipe: the orchestrator is also the
 * load generator, and reading megabytes of log lines would slow it down. stderr stays piped for
 * error messages. On stop, the request-log lines in that file are counted as a sanity figure.
 *
 * It keeps a list of everything started so the orchestrator can stop them on any exit path.
 */
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startService, stopService, type Service, type StartOptions } from './processes.js';
import { FALLBACK_ROUTE, FLAKY_MODEL, GATEWAY_TARGETS, type TargetId } from './scenarios.js';
import { guardConfigLines, isGuardTarget } from './guard-scenarios.js';
import { fullConfigLines } from './full-scenarios.js';

const HOST = '127.0.0.1';
const HERE = dirname(fileURLToPath(import.meta.url));
/** Compiled to dist/bench/, so the repository root is two levels up. */
export const REPO_ROOT = resolve(HERE, '..', '..');
const CLI = join(REPO_ROOT, 'bin', 'tollgate');
const STDOUT_FILE = 'stdout.log';
const DB_FILE = 'tollgate.db';

export interface RunningServices {
  urls: Map<TargetId, string>;
  services: Service[];
  /** The generated config text of each gateway target started, for the JSON report. */
  gatewayConfigs: Partial<Record<TargetId, string>>;
}

/** What a gateway wrote, read after it stopped. */
export interface RequestLogStats {
  target: TargetId;
  /** Newlines in its stdout file: one per request, plus a few start/stop lines. */
  stdoutLines: number;
  /** Size of the SQLite request log with its WAL; null when there is none (`storage: none://`). */
  storeBytes: number | null;
  /** Rows in its SQLite request log (every request the gateway answered should be one); null without one. */
  storeRows: number | null;
}

const started: Service[] = [];
const gatewayDirs = new Map<TargetId, string>();
let tempDir: string | undefined;

/** Paths are written as JSON strings, which YAML reads as double-quoted scalars. */
export function gatewayConfig(target: TargetId, mockUrl: string, dir: string, sinkUrl = ''): string {
  const spoolDir = JSON.stringify(join(dir, 'spool'));
  const metering = target === 'gateway' || target === 'gateway-full'
    ? [`storage: ${JSON.stringify(`sqlite://${join(dir, DB_FILE)}`)}`, `logging: { level: info, requests: true, format: json, spoolDir: ${spoolDir} }`]
    : ['storage: "none://"', `logging: { level: warn, requests: false, format: json, spoolDir: ${spoolDir} }`];
  // gateway and gateway-full keep metrics on, as shipped; gateway-obs adds metrics and 100%
  // tracing to gateway-bare; every other target is gateway-bare plus its one feature, so metrics
  // stay off there too, or the feature's row would also pay for them.
  const observability = target === 'gateway-obs' ? ['metrics: { enabled: true }', `tracing: { enabled: true, sampleRatio: 1, otlp: { endpoint: "${sinkUrl}/v1/traces" } }`]
    : target === 'gateway' || target === 'gateway-full' ? []
      : ['metrics: { enabled: false }'];
  // gateway-bare also carries the fallback row's route (scenarios.ts); a 503 switches target at once.
  const fallback = target === 'gateway-bare'
    ? [
      `  backup: { type: openai, baseUrl: "${mockUrl}/v1", apiKey: bench-key }`,
      'routes:',
      `  ${FALLBACK_ROUTE}: { targets: [ { provider: openai, model: ${FLAKY_MODEL} }, { provider: backup, model: gpt-4o-mini } ] }`,
      'resilience: { maxAttempts: 1 }',
    ]
    : [];
  // gateway-cache is gateway-bare with the response cache on (the cache-hit rows).
  const cache = target === 'gateway-cache' ? [`cache: { enabled: true, sqlitePath: ${JSON.stringify(join(dir, 'cache.db'))} }`] : [];
  return [
    'providers:',
    `  openai: { type: openai, baseUrl: "${mockUrl}/v1", apiKey: bench-key }`,
    ...fallback,
    ...metering,
    ...cache,
    // Guard targets: gateway-bare plus a key, a rate limit and a budget (guard-scenarios.ts).
    ...(isGuardTarget(target) ? guardConfigLines(target) : []),
    ...observability,
    // gateway-full: the shipped gateway plus every feature at once (full-scenarios.ts).
    ...(target === 'gateway-full' ? fullConfigLines(dir, sinkUrl) : []),
    '',
  ].join('\n');
}

async function launch(name: string, args: string[], port: number, options: StartOptions = {}): Promise<Service> {
  const service = await startService(name, args, `http://${HOST}:${port}`, REPO_ROOT, options);
  started.push(service);
  return service;
}

function fileTail(path: string, bytes = 2048): string {
  if (!existsSync(path)) return '';
  const fd = openSync(path, 'r');
  try {
    const size = statSync(path).size;
    const buffer = Buffer.alloc(Math.min(bytes, size));
    readSync(fd, buffer, 0, buffer.length, size - buffer.length);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

async function launchGateway(target: TargetId, mockUrl: string, root: string, sinkUrl: string): Promise<{ service: Service; config: string }> {
  const dir = join(root, target);
  mkdirSync(dir, { recursive: true });
  gatewayDirs.set(target, dir);
  const config = gatewayConfig(target, mockUrl, dir, sinkUrl);
  const configPath = join(dir, 'tollgate.yaml');
  writeFileSync(configPath, config);
  const stdoutPath = join(dir, STDOUT_FILE);
  const stdoutFd = openSync(stdoutPath, 'w');
  const port = await freePort();
  try {
    const service = await launch(target, [CLI, 'start', '--config', configPath, '--port', String(port), '--host', HOST], port, { stdoutFd });
    return { service, config };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`${message}\n--- ${target} stdout (tail) ---\n${fileTail(stdoutPath)}`);
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(stdoutFd);
  }
}

export async function startServices(targets: ReadonlySet<TargetId>): Promise<RunningServices> {
  const urls = new Map<TargetId, string>();
  const gatewayConfigs: Partial<Record<TargetId, string>> = {};
  const mockPort = await freePort();
  const mock = await launch('mock-upstream', [CLI, 'mock-upstream', '--port', String(mockPort), '--host', HOST], mockPort);
  urls.set('direct', mock.url);
  if (targets.has('floor')) {
    const port = await freePort();
    const floor = await launch('floor', [join(HERE, 'floor-server.js'), '--port', String(port), '--host', HOST, '--upstream', `${mock.url}/v1`], port);
    urls.set('floor', floor.url);
  }
  let sinkUrl = '';
  if (targets.has('gateway-obs') || targets.has('gateway-full')) {
    const port = await freePort();
    sinkUrl = (await launch('otlp-sink', [join(HERE, 'otlp-sink.js'), '--port', String(port), '--host', HOST], port)).url;
  }
  for (const target of GATEWAY_TARGETS.filter((id) => targets.has(id))) {
    tempDir ??= mkdtempSync(join(tmpdir(), 'tollgate-bench-'));
    const { service, config } = await launchGateway(target, mock.url, tempDir, sinkUrl);
    urls.set(target, service.url);
    gatewayConfigs[target] = config;
  }
  return { urls, services: [...started], gatewayConfigs };
}

/** Counts newlines in chunks, so a log of hundreds of MB never has to fit in memory. */
function countLines(path: string): number {
  if (!existsSync(path)) return 0;
  const fd = openSync(path, 'r');
  const buffer = Buffer.alloc(1 << 20);
  let lines = 0;
  try {
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) {
      const chunk = buffer.subarray(0, read);
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
    }
  } finally {
    closeSync(fd);
  }
  return lines;
}

function storeRows(dir: string): number | null {
  const path = join(dir, DB_FILE);
  if (!existsSync(path)) return null;
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM usage_events').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function storeBytes(dir: string): number | null {
  const files = [DB_FILE, `${DB_FILE}-wal`].map((name) => join(dir, name)).filter((path) => existsSync(path));
  return files.length === 0 ? null : files.reduce((sum, path) => sum + statSync(path).size, 0);
}

/**
 * Stops every child, then reads what the gateways wrote (after they stopped, so buffered lines
 * are flushed), then removes the temp dir. Safe to call more than once and from signal handlers;
 * later calls return an empty list.
 */
export async function stopServices(): Promise<RequestLogStats[]> {
  const all = started.splice(0).reverse();
  await Promise.all(all.map((service) => stopService(service)));
  const stats = [...gatewayDirs].map(([target, dir]): RequestLogStats => ({ target, stdoutLines: countLines(join(dir, STDOUT_FILE)), storeBytes: storeBytes(dir), storeRows: storeRows(dir) }));
  gatewayDirs.clear();
  if (tempDir !== undefined) rmSync(tempDir, { recursive: true, force: true });
  tempDir = undefined;
  return stats;
}
