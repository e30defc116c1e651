/**
 * What the benchmark measures: the targets (direct to the mock upstream, the bare floor proxy,
 * the gateway with full metering and logging, the same gateway with its metering sinks off), the
 * request each mode sends, and the ordered list of load runs. Later issues add
 * rows (cache hit, fallback, …) by appending to `defaultScenarios` or passing their own list to
 * `runBench`; a row names the baseline mode it is compared with when it has no direct/floor twin.
 *
 * It does not start processes or generate load; bench.ts and load.ts do.
 */
import { GUARD_TARGETS, guardScenarios, isGuardTarget, type GuardTargetId } from './guard-scenarios.js';
import { fullScenarios } from './full-scenarios.js';

export type TargetId = 'direct' | 'floor' | 'gateway' | 'gateway-bare' | 'gateway-cache' | 'gateway-obs' | 'gateway-full' | GuardTargetId;

export const TARGET_IDS: readonly TargetId[] = ['direct', 'floor', 'gateway', 'gateway-bare', 'gateway-cache', 'gateway-obs', ...GUARD_TARGETS, 'gateway-full'];

/** Targets that are a Tollgate process (they get a generated config, see services.ts). */
export const GATEWAY_TARGETS: readonly TargetId[] = ['gateway', 'gateway-bare', 'gateway-cache', 'gateway-obs', ...GUARD_TARGETS, 'gateway-full'];

/** Targets measured in every chat mode; the cache, obs and guard targets run their own rows. */
const MODE_TARGETS: readonly TargetId[] = ['direct', 'floor', 'gateway', 'gateway-bare'];

/** Model names as each target expects them: the mock wants the bare name, proxies a route. */
export const MODEL_FOR: Readonly<Record<TargetId, string>> = {
  direct: 'gpt-4o-mini',
  floor: 'openai/gpt-4o-mini',
  gateway: 'openai/gpt-4o-mini',
  'gateway-bare': 'openai/gpt-4o-mini',
  'gateway-cache': 'openai/gpt-4o-mini',
  'gateway-guards': 'openai/gpt-4o-mini',
  'gateway-guards-redis': 'openai/gpt-4o-mini',
  'gateway-obs': 'openai/gpt-4o-mini',
  'gateway-full': 'openai/gpt-4o-mini',
};

export type Expect = 'json' | 'sse';

export interface Scenario {
  target: TargetId;
  /** Row label, e.g. `non-stream`; rows with the same mode and concurrency are compared. */
  mode: string;
  connections: number;
  path: string;
  body: string;
  expect: Expect;
  /** Mode of the direct/floor rows this row is compared with; defaults to `mode`. */
  baselineMode?: string;
  /** A reply faster than this means the pacing directive was lost on the way (sanity check). */
  minReplyMs?: number;
  /** Queued on the mock (`POST /__mock/scripts`) before the load and dropped after it. */
  mockScript?: MockScript;
  /** Target of the baseline row when it is another target (guard rows: gateway-bare). */
  baselineTarget?: TargetId;
  /** Extra request headers (guard rows: the API key). */
  headers?: Record<string, string>;
  /** Replace `[<id>]` in the body with a fresh id per request (autocannon's idReplacement). */
  uniqueBodies?: boolean;
}

/** The mock's control-API script shape (docs/mock-upstream.md); steps are directive objects. */
export interface MockScript {
  match?: { model?: string; path?: string };
  steps: Record<string, string | number | boolean>[];
  repeat?: boolean;
}

export const DEFAULT_LEVELS: readonly number[] = [1, 16, 64];

const PROMPT = 'Summarise the benefits of connection pooling in two sentences.';

/** `modelSuffix` carries mock-upstream directives (`~name=value`), which proxies pass through. */
export function chatBody(target: TargetId, stream: boolean, modelSuffix = ''): string {
  const body: Record<string, unknown> = { model: MODEL_FOR[target] + modelSuffix, messages: [{ role: 'user', content: PROMPT }] };
  if (stream) {
    body.stream = true;
    // Proxies ask the upstream for the usage chunk themselves; going direct we ask for it so the
    // mock does the same work and sends the same bytes in every case.
    if (target === 'direct') body.stream_options = { include_usage: true };
  }
  return JSON.stringify(body);
}

interface ModeSpec {
  mode: string;
  stream: boolean;
  modelSuffix?: string;
  /** Skip concurrencies below this (a paced stream at c=1 only measures timer granularity). */
  minConnections?: number;
  minReplyMs?: number;
}

/**
 * Without pacing the mock writes a whole stream in one go, so proxies see it as a single read;
 * that measures the streaming code path but not its per-chunk cost. `stream-paced` spaces the
 * frames 1 ms apart so each one arrives (and is relayed) on its own.
 */
const MODES: readonly ModeSpec[] = [
  { mode: 'non-stream', stream: false },
  { mode: 'stream', stream: true },
  { mode: 'stream-paced', stream: true, modelSuffix: '~chunkDelayMs=1', minConnections: 2, minReplyMs: 5 },
];

/** The resilience row: `gateway-bare` only, 1 in 10 upstream calls to the first target gets a 503. */
export const FALLBACK_MODE = 'fallback-10pct';
/** Route alias and the model of its first target, as in the `gateway-bare` config (services.ts). */
export const FALLBACK_ROUTE = 'bench-fallback';
export const FLAKY_MODEL = 'flaky';

export function fallbackScenarios(levels: readonly number[]): Scenario[] {
  const body = JSON.stringify({ model: FALLBACK_ROUTE, messages: [{ role: 'user', content: PROMPT }] });
  const steps = [{ status: 503 }, ...Array.from({ length: 9 }, () => ({}))];
  const mockScript: MockScript = { match: { model: FLAKY_MODEL }, steps, repeat: true };
  return levels.map((connections) => ({
    target: 'gateway-bare', mode: FALLBACK_MODE, connections, path: '/v1/chat/completions', body, expect: 'json', baselineMode: 'non-stream', mockScript,
  }));
}

/** The cache rows: `gateway-cache` (cache on, metering sinks off) answering every request from its cache. */
export const CACHE_HIT_MODE = 'cache-hit';
export const CACHE_HIT_STREAM_MODE = 'cache-hit-stream';

/**
 * Each row repeats one request, so after the sanity check's first call every request is a hit.
 * The stream row uses its own prompt so its entry is a stored stream (replayed byte for byte),
 * not the JSON row's entry converted. Compared with the floor's miss rows of the same shape.
 */
export function cacheScenarios(levels: readonly number[]): Scenario[] {
  const list: Scenario[] = [];
  for (const [mode, stream, baselineMode] of [[CACHE_HIT_MODE, false, 'non-stream'], [CACHE_HIT_STREAM_MODE, true, 'stream']] as const) {
    const body = JSON.stringify({ model: MODEL_FOR['gateway-cache'], messages: [{ role: 'user', content: `${PROMPT} (${mode})` }], ...(stream ? { stream: true } : {}) });
    for (const connections of levels) {
      list.push({ target: 'gateway-cache', mode, connections, path: '/v1/chat/completions', body, expect: stream ? 'sse' : 'json', baselineMode });
    }
  }
  return list;
}

/**
 * The observability row: `gateway-obs` is gateway-bare plus Prometheus metrics and tracing at
 * 100% sampling (exporting to a sink that discards), in the non-stream mode, so it is measured in
 * the same alternating slices as gateway-bare non-stream at each concurrency.
 */
export function observabilityScenarios(levels: readonly number[]): Scenario[] {
  return levels.map((connections) => ({
    target: 'gateway-obs', mode: 'non-stream', connections, path: '/v1/chat/completions', body: chatBody('gateway-obs', false), expect: 'json',
  }));
}

/**
 * Runs for one mode and concurrency are kept adjacent (direct, floor, gateway, gateway-bare) so
 * slow drift in the machine's state (thermal, other tenants) affects the rows being compared alike.
 */
export function defaultScenarios(levels: readonly number[] = DEFAULT_LEVELS, targets: readonly TargetId[] = TARGET_IDS): Scenario[] {
  const list: Scenario[] = [];
  for (const spec of MODES) {
    for (const connections of levels.filter((level) => level >= (spec.minConnections ?? 1))) {
      for (const target of targets.filter((t) => MODE_TARGETS.includes(t))) {
        const body = chatBody(target, spec.stream, spec.modelSuffix);
        const scenario: Scenario = { target, mode: spec.mode, connections, path: '/v1/chat/completions', body, expect: spec.stream ? 'sse' : 'json' };
        if (spec.minReplyMs !== undefined) scenario.minReplyMs = spec.minReplyMs;
        list.push(scenario);
      }
    }
  }
  if (targets.includes('gateway-bare')) list.push(...fallbackScenarios(levels));
  if (targets.includes('gateway-cache')) list.push(...cacheScenarios(levels));
  list.push(...guardScenarios(levels, targets, chatBody('gateway-bare', false)));
  if (targets.includes('gateway-obs')) list.push(...observabilityScenarios(levels));
  list.push(...fullScenarios(levels, targets));
  return list;
}
