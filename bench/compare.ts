/**
 * `npm run bench:compare`: a side-by-side comparison of gateway variants (builds, configs, node
 * flags), for judging one change on a machine whose speed drifts more between runs than the
 * change moves the figures. By default every variant runs as its own process against one mock
 * at the same fixed request rate, all at once, so drift hits them alike; each round reads the
 * CPU time of every variant's threads from /proc (schedstat, in nanoseconds) and divides it by
 * the requests it answered. The first variant is the reference: the report gives each
 * variant's CPU per request and its ratio to the reference's in the same round (median and
 * range over rounds), the main thread's share of it, with throughput, p50 latency and peak
 * RSS. `--profile DIR` also runs every variant under `--cpu-prof` and writes each one's flame
 * graph and summary (profile-report.ts). The main thread is reported apart because it is what saturates first: work moved to a
 * worker thread can leave the total unchanged and still raise throughput, or the reverse. `--saturate` instead drives
 * one variant at a time as fast as it answers, alternating round by round, for throughput.
 *
 * It judges nothing and never fails on figures; `npm run bench` holds the targets.
 */
import { mkdirSync, mkdtempSync, openSync, closeSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { combine, runSlice, type LoadResult } from './load.js';
import { closeProbes, freePort, memoryOf, startService, stopService, type Service } from './processes.js';
import { gatewayConfig, REPO_ROOT } from './services.js';
import { guardConfigLines, BENCH_KEY } from './guard-scenarios.js';
import { table } from './format.js';
import { writeProfileReport } from './profile-report.js';
import { parseCompareOptions, type CompareOptions, type Variant } from './compare-options.js';

const HOST = '127.0.0.1';

export interface VariantResult {
  label: string;
  /** CPU microseconds per answered request, one figure per round. */
  cpuUs: number[];
  /** The main (event-loop) thread's part of cpuUs. */
  mainUs: number[];
  /** CPU per request over the reference's in the same round. */
  ratios: number[];
  rps: number[];
  p50Ms: number[];
  failed: number;
  peakRssMiB: number | null;
  /** Requests the variant answered in the whole run, warm-up included (what a profile covers). */
  answered: number;
}

/** Lines a feature adds; a line for a top-level key the base config has replaces that line. */
function featureLines(feature: string, dir: string, sinkUrl: string): string[] {
  if (feature === 'cache') return [`cache: { enabled: true, sqlitePath: ${JSON.stringify(join(dir, 'cache.db'))} }`];
  if (feature === 'guards') return guardConfigLines('gateway-guards');
  if (feature === 'tracing') return [`tracing: { enabled: true, sampleRatio: 1, otlp: { endpoint: "${sinkUrl}/v1/traces" } }`];
  if (feature === 'metrics' || feature === 'no-metrics') return [`metrics: { enabled: ${feature === 'metrics'} }`];
  if (feature === 'no-lines') return [`logging: { level: info, requests: false, format: json, spoolDir: ${JSON.stringify(join(dir, 'spool'))} }`];
  if (feature === 'no-store') return ['storage: "none://"'];
  return [`server: { heapGrowthPercent: ${Number(feature.slice('heap-growth-'.length))} }`];
}

/** The variant's config: its target's bench config with the features' lines swapped in. */
export function variantConfig(v: Variant, mockUrl: string, dir: string, sinkUrl: string): string {
  if (v.target === 'floor') return '';
  let lines = gatewayConfig(v.target, mockUrl, dir, sinkUrl).split('\n');
  for (const added of v.features.flatMap((f) => featureLines(f, dir, sinkUrl))) {
    const key = added.slice(0, added.indexOf(':') + 1);
    lines = lines.filter((l) => !l.startsWith(key));
    lines.splice(lines.length - 1, 0, added);
  }
  return lines.join('\n');
}

function sendsKey(v: Variant): boolean {
  return v.target === 'gateway-guards' || v.target === 'gateway-full' || v.features.includes('guards');
}

function needsSink(v: Variant): boolean {
  return v.target === 'gateway-obs' || v.target === 'gateway-full' || v.features.includes('tracing');
}

/**
 * Nanoseconds the threads of `pid` have run (schedstat's first field): all of them summed, and
 * the main thread's (the task whose id is the pid) alone.
 */
export function cpuNanos(pid: number): { all: number; main: number } {
  let all = 0;
  let main = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const ns = Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
      all += ns;
      if (task === String(pid)) main = ns;
    } catch {
      // A thread that ended between the listing and the read ran nothing more.
    }
  }
  return { all, main };
}

async function launch(v: Variant, mockUrl: string, sinkUrl: string, root: string): Promise<Service> {
  const checkout = resolve(v.checkout ?? REPO_ROOT);
  const dir = join(root, v.label);
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  let args: string[];
  if (v.target === 'floor') {
    args = [join(checkout, 'dist', 'bench', 'floor-server.js'), '--port', String(port), '--host', HOST, '--upstream', `${mockUrl}/v1`];
  } else {
    writeFileSync(join(dir, 'tollgate.yaml'), variantConfig(v, mockUrl, dir, sinkUrl));
    args = [join(checkout, 'bin', 'tollgate'), 'start', '--config', join(dir, 'tollgate.yaml'), '--port', String(port), '--host', HOST];
  }
  const stdoutFd = openSync(join(dir, 'stdout.log'), 'w');
  try {
    return await startService(v.label, [...v.nodeFlags, ...args], `http://${HOST}:${port}`, checkout, { stdoutFd, env: v.env });
  } finally {
    closeSync(stdoutFd);
  }
}

function load(v: Variant, url: string, opts: CompareOptions, seconds: number) {
  const body = JSON.stringify({ model: 'openai/gpt-4o-mini', ...(opts.stream ? { stream: true } : {}), messages: [{ role: 'user', content: 'Compare [<id>]' }] });
  return runSlice({
    url: `${url}/v1/chat/completions`, body, connections: opts.connections, durationSec: seconds, idReplacement: true,
    ...(sendsKey(v) ? { headers: { authorization: `Bearer ${BENCH_KEY}` } } : {}),
    ...(opts.saturate ? {} : { overallRate: opts.rate }),
  });
}

/** One round: every variant loaded (together, or one after another when saturating). */
async function round(opts: CompareOptions, services: readonly Service[], seconds: number): Promise<{ cpu: Array<{ all: number; main: number }>; results: LoadResult[] }> {
  const before = services.map((s) => cpuNanos(s.pid));
  const slices = [];
  if (opts.saturate) {
    for (const [i, s] of services.entries()) slices.push(await load(opts.variants[i], s.url, opts, seconds));
  } else {
    slices.push(...await Promise.all(services.map((s, i) => load(opts.variants[i], s.url, opts, seconds))));
  }
  const cpu = services.map((s, i) => {
    const after = cpuNanos(s.pid);
    return { all: after.all - before[i].all, main: after.main - before[i].main };
  });
  return { cpu, results: slices.map((slice) => combine([slice])) };
}

export async function runCompare(opts: CompareOptions, log: (line: string) => void = () => undefined): Promise<VariantResult[]> {
  const root = mkdtempSync(join(tmpdir(), 'tollgate-compare-'));
  const services: Service[] = [];
  try {
    const mockPort = await freePort();
    const mock = await startService('mock-upstream', [join(REPO_ROOT, 'bin', 'tollgate'), 'mock-upstream', '--port', String(mockPort), '--host', HOST], `http://${HOST}:${mockPort}`, REPO_ROOT);
    services.push(mock);
    let sinkUrl = '';
    if (opts.variants.some(needsSink)) {
      const port = await freePort();
      const sink = await startService('otlp-sink', [join(REPO_ROOT, 'dist', 'bench', 'otlp-sink.js'), '--port', String(port), '--host', HOST], `http://${HOST}:${port}`, REPO_ROOT);
      services.push(sink);
      sinkUrl = sink.url;
    }
    const running: Service[] = [];
    for (const v of opts.variants) {
      const s = await launch(v, mock.url, sinkUrl, root);
      services.push(s);
      running.push(s);
    }
    const warm = await round(opts, running, Math.min(2, opts.seconds));
    const out: VariantResult[] = opts.variants.map((v, i) => ({ label: v.label, cpuUs: [], mainUs: [], ratios: [], rps: [], p50Ms: [], failed: 0, peakRssMiB: null, answered: warm.results[i].completed }));
    for (let r = 0; r < opts.rounds; r++) {
      const { cpu, results } = await round(opts, running, opts.seconds);
      const perRequest = cpu.map((ns, i) => ns.all / 1000 / Math.max(1, results[i].completed));
      out.forEach((o, i) => {
        o.cpuUs.push(perRequest[i]);
        o.mainUs.push(cpu[i].main / 1000 / Math.max(1, results[i].completed));
        o.ratios.push(perRequest[i] / perRequest[0]);
        o.rps.push(results[i].requestsPerSec);
        o.p50Ms.push(results[i].p50Ms);
        o.failed += results[i].non2xx + results[i].errors + results[i].timeouts;
        o.answered += results[i].completed;
      });
      log(`round ${r + 1}/${opts.rounds}: ${out.map((o) => `${o.label} ${o.cpuUs[r].toFixed(0)} us/req`).join(', ')}`);
    }
    running.forEach((s, i) => { const peak = memoryOf(s.pid).peakRssBytes; out[i].peakRssMiB = peak === null ? null : peak / 1048576; });
    return out;
  } finally {
    for (const s of services.reverse()) await stopService(s);
    await closeProbes();
    rmSync(root, { recursive: true, force: true });
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function renderCompare(results: readonly VariantResult[], opts: CompareOptions): string {
  const body = results.map((r, i) => [
    r.label,
    opts.variants[i].target + opts.variants[i].features.map((f) => `+${f}`).join(''),
    median(r.cpuUs).toFixed(1),
    median(r.mainUs).toFixed(1),
    i === 0 ? '1' : `${median(r.ratios).toFixed(3)} [${Math.min(...r.ratios).toFixed(2)}-${Math.max(...r.ratios).toFixed(2)}]`,
    median(r.rps).toFixed(0),
    median(r.p50Ms).toFixed(3),
    r.peakRssMiB === null ? '' : r.peakRssMiB.toFixed(1),
    String(r.failed),
  ]);
  const mode = opts.saturate ? `saturated, one at a time` : `${opts.rate} req/s each, all at once`;
  return `${table(['variant', 'config', 'cpu us/req', 'main us/req', 'vs first', 'req/s', 'p50 ms', 'peak RSS MiB', 'failed'], body)}\n` +
    `note: ${opts.rounds} rounds of ${opts.seconds} s, ${opts.connections} connections, ${opts.stream ? 'streamed' : 'JSON'} chat; ${mode}; medians over rounds`;
}

async function main(): Promise<void> {
  let opts: CompareOptions;
  try {
    opts = parseCompareOptions(process.argv.slice(2));
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 2;
    return;
  }
  const results = await runCompare(opts, (line) => console.error(line));
  console.log(renderCompare(results, opts));
  if (opts.profileDir !== undefined) {
    for (const r of results) console.log(`profile of ${r.label}: ${writeProfileReport(opts.profileDir, r.label, r.answered)}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}

