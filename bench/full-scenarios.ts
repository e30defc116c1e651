/**
 * The full-pipeline rows of the benchmark (hardening issue, item 8): `gateway-full` is the
 * shipped `gateway` (SQLite request log, spool, one JSON line per request on stdout) with every
 * other feature on at once: a key with a rate limit and a budget on every request (in-memory
 * guard store), the response cache enabled and looked up on every request, Prometheus metrics,
 * and OpenTelemetry tracing at 100% sampling exporting to the bench's discarding OTLP sink.
 *
 * Each request body carries autocannon's `[<id>]` placeholder, replaced by a fresh id per
 * request, so every lookup is a miss and every request goes upstream: the row measures the cost
 * of the cache lookup, not the savings of a hit (the cache-hit rows do that). Rows are compared
 * with the floor and direct rows of the same shape, in the same alternating slices.
 *
 * Targets: >= 70% of the floor's throughput (non-stream and stream, worst concurrency), <= 0.3 ms
 * p50 added over direct at one connection, peak RSS <= 150 MiB.
 */
import { join } from 'node:path';
import { guardConfigLines, BENCH_KEY } from './guard-scenarios.js';
import type { ProcessMemory, Row, TargetCheck } from './report.js';
import { ratioCheck, worstOf } from './round-ratios.js';
import type { Scenario, TargetId } from './scenarios.js';

export const FULL_TARGET = 'gateway-full';
export const FULL_MODE = 'all-features';
export const FULL_STREAM_MODE = 'all-features-stream';
export const FULL_LIMITS = Object.freeze({ throughputVsFloor: 0.7, addedP50Ms: 0.3, peakRssMiB: 150 });

const PROMPT = 'Summarise the benefits of connection pooling in two sentences.';

/** Config lines the full target adds to the shipped gateway's (services.ts writes the rest). */
export function fullConfigLines(dir: string, sinkUrl: string): string[] {
  return [
    ...guardConfigLines('gateway-guards'),
    `cache: { enabled: true, sqlitePath: ${JSON.stringify(join(dir, 'cache.db'))} }`,
    'metrics: { enabled: true }',
    `tracing: { enabled: true, sampleRatio: 1, otlp: { endpoint: "${sinkUrl}/v1/traces" } }`,
  ];
}

function fullBody(stream: boolean): string {
  const body: Record<string, unknown> = { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: `${PROMPT} [<id>]` }] };
  if (stream) body.stream = true;
  return JSON.stringify(body);
}

export function fullScenarios(levels: readonly number[], targets: readonly TargetId[]): Scenario[] {
  if (!targets.includes(FULL_TARGET)) return [];
  const list: Scenario[] = [];
  for (const stream of [false, true]) {
    for (const connections of levels) {
      list.push({
        target: FULL_TARGET, mode: stream ? FULL_STREAM_MODE : FULL_MODE, connections, path: '/v1/chat/completions',
        body: fullBody(stream), expect: stream ? 'sse' : 'json', baselineMode: stream ? 'stream' : 'non-stream',
        headers: { authorization: `Bearer ${BENCH_KEY}` }, uniqueBodies: true,
      });
    }
  }
  return list;
}

/** The item-8 targets, judged on the full rows and the full gateway's peak RSS. */
export function fullTargets(rows: readonly Row[], memory: readonly ProcessMemory[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const mode of [FULL_MODE, FULL_STREAM_MODE]) {
    checks.push(ratioCheck(`gateway-full (every feature on) vs floor, ${mode} (worst concurrency)`, worstOf(rows, (r) => r.mode === mode, 'vsFloor'), FULL_LIMITS.throughputVsFloor));
    const added = rows.find((r) => r.mode === mode && r.connections === 1)?.addedP50VsDirectMs ?? null;
    checks.push({ name: `gateway-full added p50 vs direct at c=1, ${mode}`, value: added === null ? 'n/a' : `${(added * 1000).toFixed(0)} us`, limit: `<= ${FULL_LIMITS.addedP50Ms * 1000} us`, pass: added === null ? null : added <= FULL_LIMITS.addedP50Ms });
  }
  const peak = memory.find((m) => m.name === FULL_TARGET)?.peakRssMiB ?? null;
  checks.push({ name: 'gateway-full peak RSS', value: peak === null ? 'n/a' : `${peak.toFixed(1)} MiB`, limit: `<= ${FULL_LIMITS.peakRssMiB} MiB`, pass: peak === null ? null : peak <= FULL_LIMITS.peakRssMiB });
  return checks;
}

export function fullRowVerdict(row: Row): string {
  const verdicts: string[] = [];
  if (row.throughputVsFloor !== null) verdicts.push(`thr ${row.throughputVsFloor >= FULL_LIMITS.throughputVsFloor ? 'PASS' : 'MISS'}`);
  if (row.connections === 1 && row.addedP50VsDirectMs !== null) verdicts.push(`lat ${row.addedP50VsDirectMs <= FULL_LIMITS.addedP50Ms ? 'PASS' : 'MISS'}`);
  return verdicts.join(' ');
}
