/**
 * `npm run bench`: one run, on this machine, of the mock upstream directly, the bare floor
 * proxy, the gateway with full metering and logging, and the same gateway with its metering
 * sinks off (`gateway-bare`), under the same load, so the report can state ratios rather than
 * absolute numbers that depend on the hardware. Order of work: start every server as a child
 * process, check one reply per target and mode, then for each scenario warm up and measure,
 * read each child's peak RSS, stop the children, count what the gateways logged, print tables
 * and JSON (with each gateway's generated config), and save the JSON to bench-results/.
 *
 * The load generator is Debian's wrk when installed (load.ts, wrk-load.ts): a few microseconds
 * of C per request, where autocannon inside this process spent tens of microseconds of
 * JavaScript on the same two cores as the servers it measured. Targets are reported as
 * PASS/MISS and never change the exit code.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderReport } from './format.js';
import { clearMockScripts, queueMockScripts } from './mock-control.js';
import { combine, loadGenerator, runSlice, type LoadResult, type LoadSlice } from './load.js';
import { parseBenchOptions, type BenchOptions } from './options.js';
import { closeProbes, memoryOf } from './processes.js';
import { buildRows, judgeTargets, requestLogFigures, scrapeTarget, type ProcessMemory, type RequestLogFigures, type Row, type TargetCheck } from './report.js';
import { checkAll } from './sanity.js';
import { defaultScenarios, FALLBACK_MODE, FALLBACK_ROUTE, FLAKY_MODEL, type Scenario, type TargetId } from './scenarios.js';
import { REPO_ROOT, startServices, stopServices } from './services.js';
import { measureScrape, type ScrapeFigures } from './scrape-bench.js';

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  machine: Record<string, string | number>;
  options: BenchOptions;
  notes: string[];
  rows: Row[];
  memory: ProcessMemory[];
  requestLog: RequestLogFigures[];
  targets: TargetCheck[];
  /** The generated config file of each gateway target, so the run can be reproduced. */
  gatewayConfig: Partial<Record<TargetId, string>>;
  /** `/metrics` scrape after ~1M synthetic observations (scrape-bench.ts). */
  scrape: ScrapeFigures;
}

const MIB = 1024 * 1024;

function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

function notes(options: BenchOptions, scrape: ScrapeFigures): string[] {
  const wrk = loadGenerator() === 'wrk';
  return [
    '"vs bare" on gateway-obs rows: gateway-bare plus Prometheus metrics and OpenTelemetry tracing at 100% sampling (OTLP/HTTP to a local sink that discards) over gateway-bare (metrics off) req/s',
    `/metrics scrape: ${scrape.observations} synthetic UsageEvents (4 providers x 4 models + unknown models, 60 operations, 10k users) observed in-process at ${scrape.observeNsPerRequest.toFixed(0)} ns each, then ${scrape.scrapes} scrapes of ${scrape.samples} samples (${scrape.bodyKiB.toFixed(0)} KiB): median ${scrape.medianMs.toFixed(2)} ms, max ${scrape.maxMs.toFixed(2)} ms`,
    `load generator: ${wrk ? 'Debian\'s wrk (one thread, its own process)' : 'autocannon inside the orchestrator process (wrk not found, or TOLLGATE_BENCH_LOAD=autocannon)'}; it, the mock upstream and the server under test share ${cpus().length} cores, so compare ratios, not absolute req/s`,
    wrk
      ? 'latency percentiles come from wrk\'s microsecond histogram of every response, as measured (its coordinated-omission correction undone)'
      : 'latency percentiles come from per-response hrtime durations (autocannon\'s own histogram only has whole milliseconds)',
    '"+p50 vs direct/floor" is the p50 difference to the row with the same mode and concurrency',
    '"vs bare" is gateway (SQLite request log, spool, JSON request lines on stdout at info) over gateway-bare (storage none://, no request lines, level warn) req/s',
    'request log: newlines in each gateway\'s stdout file (one per request plus a start line) next to the responses it gave in all slices (warm-ups included) and in measured slices only; one sanity request per mode and requests cut off at slice ends come on top',
    `${FALLBACK_MODE}: gateway-bare on route ${FALLBACK_ROUTE} (${FLAKY_MODEL} with 1 in 10 upstream calls a scripted 503, then backup; maxAttempts 1); "ok %" is 2xx over responses + errors + timeouts, "vs base" and "+p99 us vs base" compare with gateway-bare non-stream at the same concurrency, measured in the same alternating slices`,
    'cache-hit / cache-hit-stream: gateway-cache (gateway-bare with cache.enabled) repeating one request, so every measured request is a hit; "vs floor" and "+p50 vs direct" compare with the floor and direct rows of the same shape without a cache (misses)',
    'all-features / all-features-stream: gateway-full, the shipped gateway (SQLite log, spool, stdout request lines) plus a key with a rate limit and a budget, the cache on and missed on every request (a fresh id in each body), metrics and tracing at 100% sampling; "vs floor" and "+p50 vs direct" compare with the floor and direct rows of the same shape',
    'guards-memory / guards-redis: gateway-bare plus a key, two rate-limit windows and a budget reservation on every request (in-memory store / Redis at REDIS_URL); "vs base" compares with gateway-bare non-stream at the same concurrency',
    `each target and mode: ${options.primeSec} s of load before any row (V8 optimizes the request path); each row: ${options.warmupSec} s warm-up (discarded), then ${options.durationSec} s measured in ${options.rounds} slices alternating with the rows it is compared with; targets are reported, not enforced`,
  ];
}

/** Responses per target over every slice of the run, warm-ups included (see `drive`). */
const answered = new Map<TargetId, number>();

/** One slice of load on a scenario's target; every response is counted, measured or not. */
async function drive(urls: ReadonlyMap<string, string>, scenario: Scenario, durationSec: number): Promise<LoadSlice> {
  const url = (urls.get(scenario.target) ?? '') + scenario.path;
  const slice = await runSlice({ url, body: scenario.body, connections: scenario.connections, durationSec, headers: scenario.headers, idReplacement: scenario.uniqueBodies });
  answered.set(scenario.target, (answered.get(scenario.target) ?? 0) + slice.samplesMs.length);
  return slice;
}

/**
 * One warm-up per (target, mode) at its highest concurrency before any row is measured, so the
 * first rows do not pay for JIT compilation and pool growth that later rows get for free. It
 * lasts `primeSec` (8 s by default): on a 2-core machine a gateway's CPU per request kept
 * falling for 6 to 10 s of load (to a quarter of the first second's) while V8 optimized its
 * request path, and V8's compiler threads take CPU from whatever runs beside them. With one
 * second, the rows measured first (c=1) were measured during that, and the gateways with the
 * most code (guards, tracing, the full pipeline) paid the most for it.
 */
async function prime(urls: ReadonlyMap<string, string>, scenarios: readonly Scenario[], options: BenchOptions): Promise<void> {
  const busiest = new Map<string, Scenario>();
  for (const scenario of scenarios) {
    const key = `${scenario.target}\0${scenario.mode}`;
    const seen = busiest.get(key);
    if (seen === undefined || seen.connections < scenario.connections) busiest.set(key, scenario);
  }
  for (const scenario of busiest.values()) {
    await drive(urls, scenario, options.primeSec);
  }
  progress(`primed ${busiest.size} target/mode pairs`);
}

/**
 * The order of `list` in round `round`: rows of a balanced Latin square (Williams design), so
 * over a cycle of rounds (n rounds for n targets, 2n when n is odd) every target runs once in
 * every position and follows every other target equally often.
 */
export function sliceOrder<T>(list: readonly T[], round: number): T[] {
  const n = list.length;
  if (n < 2) return [...list];
  // First row 0, 1, n-1, 2, n-2, …; row r adds r (mod n); odd n also needs the mirrored rows.
  const first = Array.from({ length: n }, (_, i) => (i % 2 === 1 ? (i + 1) / 2 : (n - i / 2) % n));
  const row = round % (n % 2 === 0 ? n : 2 * n);
  const order = first.map((k) => list[(k + row) % n]);
  return row >= n ? order.reverse() : order;
}

/** Rows that are compared with each other: same (baseline) mode, same concurrency, in scenario order. */
function groupsOf(scenarios: readonly Scenario[]): number[][] {
  const groups = new Map<string, number[]>();
  scenarios.forEach((scenario, index) => {
    const key = `${scenario.baselineMode ?? scenario.mode}\0${scenario.connections}`;
    groups.set(key, [...(groups.get(key) ?? []), index]);
  });
  return [...groups.values()];
}

/**
 * Each group is measured in short slices that rotate through its targets (direct, floor,
 * gateway, gateway-bare, direct, …) rather than one long run per target: other load on the machine then hits
 * the rows being compared alike instead of spoiling one of them. The order changes from round to
 * round (sliceOrder) so no target always runs right after the same one: the mock, shared by
 * all, carries the garbage and the socket churn of whichever slice ran just before it.
 */
async function measure(urls: ReadonlyMap<string, string>, scenarios: readonly Scenario[], options: BenchOptions): Promise<LoadResult[]> {
  const slices: LoadSlice[][] = scenarios.map(() => []);
  const sliceSec = options.durationSec / options.rounds;
  for (const group of groupsOf(scenarios)) {
    for (const index of group) await drive(urls, scenarios[index], options.warmupSec);
    for (let round = 0; round < options.rounds; round++) {
      for (const index of sliceOrder(group, round)) slices[index].push(await drive(urls, scenarios[index], sliceSec));
    }
    const first = scenarios[group[0]];
    const label = (s: Scenario): string => (s.mode === first.mode ? s.target : `${s.target} ${s.mode}`);
    const figures = group.map((index) => `${label(scenarios[index])} ${combine(slices[index]).requestsPerSec.toFixed(0)}`);
    progress(`${first.mode} c=${first.connections}: ${figures.join(', ')} req/s`);
  }
  return slices.map((list) => combine(list));
}

/** Runs the given scenarios (default: the issue's matrix) and returns the report. */
export async function runBench(options: BenchOptions, scenarios: readonly Scenario[] = defaultScenarios(options.levels, options.targets)): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  answered.clear();
  try {
    const { urls, services, gatewayConfigs } = await startServices(new Set(scenarios.map((s) => s.target)));
    progress(`started ${services.map((s) => `${s.name} (pid ${s.pid}) ${s.url}`).join(', ')}`);
    // Scripts match their own model only (e.g. `flaky`), so they stay queued for the whole run.
    const mockUrl = urls.get('direct') ?? '';
    await queueMockScripts(mockUrl, [...new Set(scenarios.flatMap((s) => (s.mockScript ? [s.mockScript] : [])))]);
    await checkAll(urls, scenarios);
    await prime(urls, scenarios, options);
    const results = await measure(urls, scenarios, options);
    await clearMockScripts(mockUrl);
    const memory = services.map((service): ProcessMemory => {
      const { peakRssBytes, rssBytes } = memoryOf(service.pid);
      return { name: service.name, pid: service.pid, peakRssMiB: peakRssBytes === null ? null : peakRssBytes / MIB, rssAtEndMiB: rssBytes === null ? null : rssBytes / MIB };
    });
    const logStats = await stopServices();
    const rows = buildRows(scenarios, results);
    const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryMiB: Math.round(totalmem() / MIB), node: process.version, platform: platform(), arch: arch(), loadGenerator: loadGenerator() };
    const requestLog = requestLogFigures(logStats, rows, answered);
    // After the load, with the servers stopped, so the synthetic observations compete with nothing.
    progress('measuring /metrics scrape after 1M synthetic observations');
    const scrape = await measureScrape();
    const targets = [...judgeTargets(rows, memory), scrapeTarget(scrape.medianMs)];
    return { startedAt, finishedAt: new Date().toISOString(), machine, options, notes: notes(options, scrape), rows, memory, requestLog, targets, gatewayConfig: gatewayConfigs, scrape };
  } finally {
    await stopServices();
    await closeProbes();
  }
}

function save(report: BenchReport, outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `bench-${report.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

async function main(argv: string[]): Promise<number> {
  const options = parseBenchOptions(argv);
  const onSignal = (): void => {
    void stopServices().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const report = await runBench(options);
  const file = save(report, options.outDir ?? join(REPO_ROOT, 'bench-results'));
  process.stdout.write(`\n${renderReport(report)}\n\n`);
  if (options.printJson) process.stdout.write(`${JSON.stringify(report)}\n\n`);
  process.stdout.write(`results written to ${file}\n`);
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
