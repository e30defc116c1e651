/**
 * `npm run soak -- --minutes N` (or `--seconds N`): the soak test (L2/L3). Starts the mock
 * upstream, a discarding OTLP sink and a gateway as child processes (cache on, SQLite request
 * log, spool, metrics on, tracing at 100% sampling to the sink),
 * drives the mixed traffic of soak-traffic.ts for the given time at a bounded rate, and reports
 * the gateway's post-GC heap and RSS slope, its open descriptors and sockets before and after,
 * and lost log rows (every request id sent must be stored exactly once).
 *
 * Memory is sampled without any hook in the gateway itself: the gateway process is started with
 * `--expose-gc --import soak-probe.js`, and the probe answers SIGUSR2 with a GC and one line in a
 * file (see soak-probe.ts). Rows are counted from the SQLite file after the gateway stopped
 * (a graceful stop flushes the queue and replays the spool). `runSoak` is also what the short
 * soak in the default test run calls (test/soak/soak.test.ts).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { Agent, request } from 'undici';
import { freePort, memoryOf, startService, stopService, type Service } from './processes.js';
import { REPO_ROOT } from './services.js';
import { drive, KINDS, sendOne, type TrafficTally } from './soak-traffic.js';
import { DEFAULT_THRESHOLDS, formatReport, handlesOf, judge, mibPerMinute, type Handles, type MemorySample, type SoakResult, type Thresholds } from './soak-stats.js';

const HOST = '127.0.0.1';
const HERE = dirname(fileURLToPath(import.meta.url));
const CLI = join(REPO_ROOT, 'bin', 'tollgate');
/** Children of a run in progress, so an interrupted `npm run soak` does not leave them behind. */
const live = new Set<Service>();

export interface SoakOptions {
  seconds: number;
  concurrency?: number;
  rps?: number;
  thresholds?: Partial<Thresholds>;
  /** Progress lines (one per sample); silent when absent. */
  log?(line: string): void;
}

function soakConfig(mockUrl: string, sinkUrl: string, dir: string): string {
  const q = (p: string): string => JSON.stringify(p);
  return [
    'providers:',
    `  openai: { type: openai, baseUrl: "${mockUrl}/v1", apiKey: soak-key }`,
    `storage: ${q(`sqlite://${join(dir, 'tollgate.db')}`)}`,
    `logging: { level: warn, requests: false, format: json, spoolDir: ${q(join(dir, 'spool'))} }`,
    // A small in-process LRU, full within the warm-up: at the default 256 MiB the unique prompts
    // of the mix would grow the heap for the whole run by design and hide a real slope.
    `cache: { enabled: true, sqlitePath: ${q(join(dir, 'cache.db'))}, memoryMaxBytes: 4194304 }`,
    'metrics: { enabled: true }',
    // Every request traced: the span queue and its exports must stay flat too.
    `tracing: { enabled: true, sampleRatio: 1, otlp: { endpoint: "${sinkUrl}/v1/traces" } }`,
    'resilience: { maxAttempts: 1 }',
    '',
  ].join('\n');
}

/** Asks the probe for a post-GC sample and waits for its line; null if none came. */
async function sample(gateway: Service, probeFile: string, seq: number): Promise<{ heapUsed: number; rss: number } | null> {
  gateway.proc.kill('SIGUSR2');
  for (let i = 0; i < 100; i++) {
    if (existsSync(probeFile)) {
      const lines = readFileSync(probeFile, 'utf8').trim().split('\n');
      const last = JSON.parse(lines[lines.length - 1]) as { seq: number; heapUsed: number; rss: number; gc: boolean };
      if (last.seq >= seq) {
        if (!last.gc) throw new Error('gateway started without --expose-gc');
        return last;
      }
    }
    await sleep(20);
  }
  return null;
}

/**
 * Waits (bounded) for idle pooled connections to close, so "after" is compared at rest: the
 * gateway keeps idle upstream sockets for 30 s (upstream-client.ts), hence up to 35 s here.
 */
async function settledHandles(pid: number, baseline: Handles | null, th: Thresholds): Promise<Handles | null> {
  let now = handlesOf(pid);
  for (let i = 0; i < 140 && now && baseline && (now.fds > baseline.fds + th.fdTolerance || now.sockets > baseline.sockets + th.socketTolerance); i++) {
    await sleep(250);
    now = handlesOf(pid);
  }
  return now;
}

function storedIds(dbPath: string): Map<string, number> {
  const db = new Database(dbPath, { readonly: true });
  try {
    const rows = db.prepare('SELECT request_id AS id, COUNT(*) AS n FROM usage_events GROUP BY request_id').all() as Array<{ id: string; n: number }>;
    return new Map(rows.map((r) => [r.id, r.n]));
  } finally {
    db.close();
  }
}

async function scrapeMetrics(url: string): Promise<void> {
  const res = await request(`${url}/metrics`);
  await res.body.dump();
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const th = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const log = options.log ?? ((): void => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-soak-'));
  const services: Service[] = [];
  try {
    const mockPort = await freePort();
    const mock = await startService('mock-upstream', [CLI, 'mock-upstream', '--port', String(mockPort), '--host', HOST], `http://${HOST}:${mockPort}`, REPO_ROOT);
    services.push(mock);
    live.add(mock);
    const sinkPort = await freePort();
    const sink = await startService('otlp-sink', [join(HERE, 'otlp-sink.js'), '--port', String(sinkPort), '--host', HOST], `http://${HOST}:${sinkPort}`, REPO_ROOT);
    services.push(sink);
    live.add(sink);
    const configPath = join(dir, 'tollgate.yaml');
    writeFileSync(configPath, soakConfig(mock.url, sink.url, dir));
    const probeFile = join(dir, 'probe.jsonl');
    const port = await freePort();
    const probe = pathToFileURL(join(HERE, 'soak-probe.js')).href;
    const gateway = await startService('gateway', ['--expose-gc', '--import', probe, CLI, 'start', '--config', configPath, '--port', String(port), '--host', HOST],
      `http://${HOST}:${port}`, REPO_ROOT, { env: { TOLLGATE_SOAK_PROBE_FILE: probeFile } });
    services.push(gateway);
    live.add(gateway);
    return await soakAgainst(gateway, probeFile, join(dir, 'tollgate.db'), options, th, log);
  } finally {
    for (const s of services.reverse()) {
      await stopService(s, 15_000);
      live.delete(s);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

async function soakAgainst(gateway: Service, probeFile: string, dbPath: string, options: SoakOptions, th: Thresholds, log: (line: string) => void): Promise<SoakResult> {
  const tally: TrafficTally = { ids: [], outcomes: new Map() };
  const prefix = `soak-${process.pid}-${Date.now().toString(36)}`;
  // Warm-up: every kind, `concurrency` at a time, so lazily opened stores, the cache and an
  // upstream pool as wide as the traffic's exist before the baseline is taken.
  const concurrency = options.concurrency ?? 6;
  const warm = new Agent({ keepAliveTimeout: 1_000 });
  for (const [i, kind] of KINDS.entries()) {
    await Promise.all(Array.from({ length: concurrency }, (_, j) => {
      const id = `${prefix}-warm-${i}-${j}`;
      tally.ids.push(id);
      return sendOne(warm, gateway.url, kind, id, i * concurrency + j);
    }));
  }
  await scrapeMetrics(gateway.url);
  await warm.close();
  await sleep(1_500);
  const handlesBefore = handlesOf(gateway.pid);
  const every = Math.min(10, Math.max(1, options.seconds / 60)) * 1000;
  const started = Date.now();
  const until = started + options.seconds * 1000;
  const traffic = drive({ url: gateway.url, concurrency, rps: options.rps ?? 150, idPrefix: prefix }, until, tally);
  const samples: MemorySample[] = [];
  let peakRss = 0;
  let seq = 0;
  for (let at = started; Date.now() < until; at += every) {
    if (at > Date.now()) await sleep(at - Date.now());
    const m = await sample(gateway, probeFile, ++seq);
    await scrapeMetrics(gateway.url);
    if (m) samples.push({ t: (Date.now() - started) / 1000, heapUsed: m.heapUsed, rss: m.rss });
    peakRss = Math.max(peakRss, memoryOf(gateway.pid).peakRssBytes ?? 0);
    if (m) log(`t=${Math.round((Date.now() - started) / 1000)}s requests=${tally.ids.length} heap=${(m.heapUsed / 2 ** 20).toFixed(1)}MiB rss=${(m.rss / 2 ** 20).toFixed(1)}MiB`);
  }
  await traffic;
  const handlesAfter = await settledHandles(gateway.pid, handlesBefore, th);
  peakRss = Math.max(peakRss, memoryOf(gateway.pid).peakRssBytes ?? 0);
  // A graceful stop drains the event queue and replays the spool before the process exits.
  await stopService(gateway, 15_000);
  const stored = storedIds(dbPath);
  const sent = new Set(tally.ids);
  const lost = tally.ids.filter((id) => stored.get(id) !== 1).length;
  const unexpected = [...stored.keys()].filter((id) => !sent.has(id)).length;
  const warmUp = Math.min(60, options.seconds * 0.2);
  const steady = samples.filter((s) => s.t >= warmUp);
  const partial: Omit<SoakResult, 'failures'> = {
    seconds: options.seconds, requests: tally.ids.length, outcomes: Object.fromEntries(tally.outcomes),
    stored: stored.size, lost, unexpected, handlesBefore, handlesAfter, samples, steady,
    heapSlope: mibPerMinute(steady, 'heapUsed'), rssSlope: mibPerMinute(steady, 'rss'),
    heapGrowthMib: steady.length < 2 ? 0 : (steady[steady.length - 1].heapUsed - steady[0].heapUsed) / 2 ** 20,
    peakRssMib: peakRss / 2 ** 20,
  };
  return { ...partial, failures: judge(partial, th) };
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: {
    minutes: { type: 'string' }, seconds: { type: 'string' }, rps: { type: 'string' }, concurrency: { type: 'string' }, json: { type: 'boolean' },
  } });
  const seconds = values.seconds !== undefined ? Number(values.seconds) : Number(values.minutes ?? '5') * 60;
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('--minutes/--seconds must be a positive number');
  const th = DEFAULT_THRESHOLDS;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const s of live) s.proc.kill('SIGTERM');
      process.exit(130);
    });
  }
  const result = await runSoak({
    seconds, rps: values.rps ? Number(values.rps) : undefined, concurrency: values.concurrency ? Number(values.concurrency) : undefined,
    log: (line) => console.error(line),
  });
  console.log(values.json ? JSON.stringify({ ...result, samples: undefined }, null, 2) : formatReport(result, th));
  return result.failures.length === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => { console.error(err); process.exitCode = 1; });
}
