/**
 * Turns raw load results into the benchmark report: each row compared with its direct and floor
 * twins (same mode, same concurrency), the metered gateway also with `gateway-bare` (metering
 * sinks off), peak memory per process, and the targets judged PASS/MISS. Targets are reported, never enforced: a MISS does not change the exit code, because
 * a shared 2-core machine is too noisy for a hard gate.
 *
 * It does not print anything (format.ts renders) and does not run anything.
 */
import type { LoadResult } from './load.js';
import { ratioCheck, roundRatios, worstOf } from './round-ratios.js';
import { CACHE_HIT_MODE, CACHE_HIT_STREAM_MODE, FALLBACK_MODE, GATEWAY_TARGETS, type Scenario, type TargetId } from './scenarios.js';
import { guardTargets } from './guard-scenarios.js';
import type { RequestLogStats } from './services.js';
import { GUARD_LIMIT, GUARD_MODES } from './guard-scenarios.js';
import { FULL_TARGET, fullRowVerdict, fullTargets } from './full-scenarios.js';

export interface Row {
  target: TargetId;
  mode: string;
  connections: number;
  result: LoadResult;
  /** Requests/s divided by the floor's (same mode and concurrency); gateway targets only. */
  throughputVsFloor: number | null;
  /** `gateway` rows: requests/s divided by `gateway-bare`'s, i.e. what metering and logging keep. */
  throughputVsBare: number | null;
  addedP50VsDirectMs: number | null;
  addedP50VsFloorMs: number | null;
  /** 2xx responses over responses + errors + timeouts; null when nothing was sent. */
  successRate: number | null;
  /** Rows with a `baselineMode` (e.g. fallback): req/s over the same target's baseline-mode row. */
  throughputVsBaseline: number | null;
  /** Same rows: p99 minus the same target's baseline-mode p99. */
  addedP99VsBaselineMs: number | null;
  /** The three throughput ratios per round (round-ratios.ts); empty where the ratio is null. */
  rounds: { vsFloor: number[]; vsBare: number[]; vsBaseline: number[] };
}


export interface ProcessMemory {
  name: string;
  pid: number;
  peakRssMiB: number | null;
  rssAtEndMiB: number | null;
}

export interface TargetCheck {
  name: string;
  value: string;
  limit: string;
  /** null when the rows needed were not run. */
  pass: boolean | null;
}

/** What a gateway target wrote to its request log, next to the requests it was measured with. */
export interface RequestLogFigures {
  target: TargetId;
  stdoutLines: number;
  storeMiB: number | null;
  /** Rows in the SQLite request log after the gateway stopped (and flushed); null without one. */
  storeRows: number | null;
  /** Responses this target gave in every slice of the run, warm-ups included. */
  answeredRequests: number;
  /** Responses counted in this target's measured slices only. */
  measuredRequests: number;
}

export const LIMITS = Object.freeze({ throughputVsFloor: 0.85, throughputVsBare: 0.9, addedP50Ms: 0.2, peakRssMiB: 150, cacheHitAddedP50Ms: 0.15, cacheHitVsFloor: 1.5 });

/** The targets apply to chat; rows added later (other modes) are reported without one. */
const THROUGHPUT_MODES: readonly string[] = ['non-stream', 'stream', 'stream-paced'];
/** Paced streams are left out: 1 ms timer jitter would swamp a 0.2 ms difference. */
const LATENCY_MODES: readonly string[] = ['non-stream', 'stream'];

export function buildRows(scenarios: readonly Scenario[], results: readonly LoadResult[]): Row[] {
  const twin = (target: TargetId, mode: string, connections: number): LoadResult | undefined => {
    const index = scenarios.findIndex((s) => s.target === target && s.mode === mode && s.connections === connections);
    return index === -1 ? undefined : results[index];
  };
  return scenarios.map((scenario, index) => {
    const result = results[index];
    const baselineMode = scenario.baselineMode ?? scenario.mode;
    const direct = scenario.target === 'direct' ? undefined : twin('direct', baselineMode, scenario.connections);
    const floor = GATEWAY_TARGETS.includes(scenario.target) ? twin('floor', baselineMode, scenario.connections) : undefined;
    const base = scenario.baselineMode !== undefined ? twin(scenario.baselineTarget ?? scenario.target, scenario.baselineMode, scenario.connections) : undefined;
    const attempts = result.completed + result.errors + result.timeouts;
    const bare = scenario.target === 'gateway' || scenario.target === 'gateway-obs' ? twin('gateway-bare', scenario.mode, scenario.connections) : undefined;
    return {
      target: scenario.target,
      mode: scenario.mode,
      connections: scenario.connections,
      result,
      throughputVsFloor: floor ? result.requestsPerSec / floor.requestsPerSec : null,
      throughputVsBare: bare ? result.requestsPerSec / bare.requestsPerSec : null,
      addedP50VsDirectMs: direct ? result.p50Ms - direct.p50Ms : null,
      addedP50VsFloorMs: floor ? result.p50Ms - floor.p50Ms : null,
      successRate: attempts > 0 ? (result.completed - result.non2xx) / attempts : null,
      throughputVsBaseline: base ? result.requestsPerSec / base.requestsPerSec : null,
      addedP99VsBaselineMs: base ? result.p99Ms - base.p99Ms : null,
      rounds: {
        vsFloor: floor ? roundRatios(result, floor) : [],
        vsBare: bare ? roundRatios(result, bare) : [],
        vsBaseline: base ? roundRatios(result, base) : [],
      },
    };
  });
}

function throughputTarget(rows: readonly Row[], mode: string): TargetCheck {
  const worst = worstOf(rows, (r) => r.target === 'gateway' && r.mode === mode, 'vsFloor');
  return ratioCheck(`gateway throughput vs floor, ${mode} (worst concurrency)`, worst, LIMITS.throughputVsFloor);
}

/** The metering target: full metering and logging may cost at most 10% of bare throughput. */
function meteringTarget(rows: readonly Row[], mode: string): TargetCheck {
  const worst = worstOf(rows, (r) => r.target === 'gateway' && r.mode === mode, 'vsBare');
  return ratioCheck(`gateway throughput vs gateway-bare, ${mode} (worst concurrency)`, worst, LIMITS.throughputVsBare);
}

function latencyTarget(rows: readonly Row[], mode: string): TargetCheck {
  const row = rows.find((r) => r.target === 'gateway' && r.mode === mode && r.connections === 1);
  const added = row?.addedP50VsDirectMs ?? null;
  return {
    name: `gateway added p50 vs direct at c=1, ${mode}`,
    value: added === null ? 'n/a' : `${(added * 1000).toFixed(0)} us`,
    limit: `<= ${LIMITS.addedP50Ms * 1000} us`,
    pass: added === null ? null : added <= LIMITS.addedP50Ms,
  };
}

function memoryTarget(memory: readonly ProcessMemory[]): TargetCheck {
  const peak = memory.find((m) => m.name === 'gateway')?.peakRssMiB ?? null;
  return {
    name: 'gateway peak RSS',
    value: peak === null ? 'n/a' : `${peak.toFixed(1)} MiB`,
    limit: `<= ${LIMITS.peakRssMiB} MiB`,
    pass: peak === null ? null : peak <= LIMITS.peakRssMiB,
  };
}

/** The fallback row must answer every request with a 2xx although 10% of upstream calls fail. */
function fallbackTarget(rows: readonly Row[]): TargetCheck {
  const rates = rows.filter((r) => r.mode === FALLBACK_MODE && r.successRate !== null).map((r) => r.successRate ?? 0);
  const worst = rates.length > 0 ? Math.min(...rates) : null;
  return {
    name: 'gateway with 10% upstream 503s + fallback: success rate',
    value: worst === null ? 'n/a' : `${(worst * 100).toFixed(3)}%`,
    limit: '100%',
    pass: worst === null ? null : worst === 1,
  };
}

/** Cache hits: p50 added over going direct at c=1, and req/s over the floor's miss rows. */
function cacheTargets(rows: readonly Row[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const mode of [CACHE_HIT_MODE, CACHE_HIT_STREAM_MODE]) {
    const row = rows.find((r) => r.mode === mode && r.connections === 1);
    const added = row?.addedP50VsDirectMs ?? null;
    checks.push({
      name: `cache hit added p50 vs direct at c=1, ${mode}`,
      value: added === null ? 'n/a' : `${(added * 1000).toFixed(0)} us`,
      limit: `<= ${LIMITS.cacheHitAddedP50Ms * 1000} us`,
      pass: added === null ? null : added <= LIMITS.cacheHitAddedP50Ms,
    });
    const worst = worstOf(rows, (r) => r.mode === mode, 'vsFloor');
    checks.push(ratioCheck(`cache hit throughput vs floor miss, ${mode} (worst concurrency)`, worst, LIMITS.cacheHitVsFloor, 'times'));
  }
  return checks;
}

/** Observability: metrics plus tracing at 100% sampling may cost at most 10% of bare throughput. */
function observabilityTarget(rows: readonly Row[]): TargetCheck {
  const worst = worstOf(rows, (r) => r.target === 'gateway-obs', 'vsBare');
  return ratioCheck('gateway-obs (metrics + tracing 100%) vs gateway-bare, non-stream (worst concurrency)', worst, LIMITS.throughputVsBare);
}

/** `/metrics` after ~1M observed requests (scrape-bench.ts) answers within 50 ms. */
export function scrapeTarget(medianMs: number | null): TargetCheck {
  return {
    name: '/metrics scrape after 1M observed requests (median)',
    value: medianMs === null ? 'n/a' : `${medianMs.toFixed(2)} ms`,
    limit: '<= 50 ms',
    pass: medianMs === null ? null : medianMs <= 50,
  };
}

export function judgeTargets(rows: readonly Row[], memory: readonly ProcessMemory[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const mode of THROUGHPUT_MODES) checks.push(throughputTarget(rows, mode));
  for (const mode of THROUGHPUT_MODES) checks.push(meteringTarget(rows, mode));
  for (const mode of LATENCY_MODES) checks.push(latencyTarget(rows, mode));
  checks.push(memoryTarget(memory));
  checks.push(fallbackTarget(rows));
  checks.push(...cacheTargets(rows));
  checks.push(...guardTargets(rows));
  checks.push(observabilityTarget(rows));
  checks.push(...fullTargets(rows, memory));
  return checks;
}

/** Per-row verdict shown next to the figures: gateway rows of targeted modes, and the fallback row. */
export function rowVerdict(row: Row): string {
  if (row.mode === FALLBACK_MODE) return row.successRate === null ? '' : `ok ${row.successRate === 1 ? 'PASS' : 'MISS'}`;
  if (row.mode === CACHE_HIT_MODE || row.mode === CACHE_HIT_STREAM_MODE) {
    const v: string[] = [];
    if (row.throughputVsFloor !== null) v.push(`thr ${row.throughputVsFloor >= LIMITS.cacheHitVsFloor ? 'PASS' : 'MISS'}`);
    if (row.connections === 1 && row.addedP50VsDirectMs !== null) v.push(`lat ${row.addedP50VsDirectMs <= LIMITS.cacheHitAddedP50Ms ? 'PASS' : 'MISS'}`);
    return v.join(' ');
  }
  if (row.mode === GUARD_MODES['gateway-guards'] && row.throughputVsBaseline !== null) return `guards ${row.throughputVsBaseline >= GUARD_LIMIT ? 'PASS' : 'MISS'}`;
  if (row.target === FULL_TARGET) return fullRowVerdict(row);
  if (row.target === 'gateway-obs') return row.throughputVsBare === null ? '' : `obs ${row.throughputVsBare >= LIMITS.throughputVsBare ? 'PASS' : 'MISS'}`;
  if (row.target !== 'gateway') return '';
  const verdicts: string[] = [];
  if (row.throughputVsFloor !== null && THROUGHPUT_MODES.includes(row.mode)) verdicts.push(`thr ${row.throughputVsFloor >= LIMITS.throughputVsFloor ? 'PASS' : 'MISS'}`);
  if (row.throughputVsBare !== null && THROUGHPUT_MODES.includes(row.mode)) verdicts.push(`meter ${row.throughputVsBare >= LIMITS.throughputVsBare ? 'PASS' : 'MISS'}`);
  if (row.connections === 1 && row.addedP50VsDirectMs !== null && LATENCY_MODES.includes(row.mode)) verdicts.push(`lat ${row.addedP50VsDirectMs <= LIMITS.addedP50Ms ? 'PASS' : 'MISS'}`);
  return verdicts.join(' ');
}

/** Lines about equal to (or a few above) answered requests means every request was logged. */
export function requestLogFigures(stats: readonly RequestLogStats[], rows: readonly Row[], answered: ReadonlyMap<TargetId, number>): RequestLogFigures[] {
  return stats.map((stat) => ({
    target: stat.target,
    stdoutLines: stat.stdoutLines,
    storeMiB: stat.storeBytes === null ? null : stat.storeBytes / (1024 * 1024),
    storeRows: stat.storeRows,
    answeredRequests: answered.get(stat.target) ?? 0,
    measuredRequests: rows.filter((r) => r.target === stat.target).reduce((sum, r) => sum + r.result.completed, 0),
  }));
}
