/**
 * Drives one target for one slice and returns throughput and latency: with Debian's `wrk`
 * (wrk-load.ts) when it is installed and the load is not paced, otherwise with autocannon's
 * programmatic API inside the orchestrator process (`TOLLGATE_BENCH_LOAD=autocannon` forces
 * it, for comparing with runs made before wrk was used). autocannon's own latency histogram
 * only holds whole milliseconds, too coarse for a 0.2 ms target, so with autocannon this module
 * listens to every response event (its hrtime-based duration is a float); wrk's histogram has
 * whole microseconds. Either way the percentiles are computed here, over all slices of a row.
 *
 * Rows are measured in slices so the orchestrator can alternate targets (see bench.ts);
 * `combine` adds slices up. It does not check response bodies (sanity.ts does, once per target,
 * before any load) and does not decide what counts as good.
 */
import autocannon from 'autocannon';
import { runWrkSlice, wrkAvailable } from './wrk-load.js';

export interface LoadSpec {
  url: string;
  body: string;
  connections: number;
  durationSec: number;
  headers?: Record<string, string>;
  /** Replace `[<id>]` in the body with a fresh id on every request. */
  idReplacement?: boolean;
  /** Requests per second across all connections; absent: as fast as the target answers. */
  overallRate?: number;
}

export interface LoadResult {
  completed: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  elapsedSec: number;
  /** Requests/s of each slice, in the order they ran (one per round; round-ratios.ts pairs them). */
  sliceRps: number[];
}

/** One autocannon run; a row's figures come from one or more slices added together. */
export interface LoadSlice {
  samplesMs: number[];
  non2xx: number;
  errors: number;
  timeouts: number;
  elapsedSec: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

export function combine(slices: readonly LoadSlice[]): LoadResult {
  const sorted = Float64Array.from(slices.flatMap((slice) => slice.samplesMs)).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  const total = (pick: (slice: LoadSlice) => number): number => slices.reduce((acc, slice) => acc + pick(slice), 0);
  const elapsedSec = total((slice) => slice.elapsedSec);
  return {
    completed: sorted.length,
    requestsPerSec: elapsedSec > 0 ? sorted.length / elapsedSec : 0,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    meanMs: sorted.length > 0 ? sum / sorted.length : Number.NaN,
    non2xx: total((slice) => slice.non2xx),
    errors: total((slice) => slice.errors),
    timeouts: total((slice) => slice.timeouts),
    elapsedSec,
    sliceRps: slices.map((slice) => (slice.elapsedSec > 0 ? slice.samplesMs.length / slice.elapsedSec : 0)),
  };
}

/**
 * autocannon's own `idReplacement` assumes a fixed id length when it sets Content-Length, and its
 * ids grow, so bodies come out longer than announced and the server waits forever; rewriting the
 * body per request through `setupRequest` lets autocannon compute the length itself.
 */
let nextId = 0;
function freshId(body: string): (request: { body?: string }) => { body?: string } {
  const [head, tail] = body.split('[<id>]', 2);
  return (request) => {
    request.body = `${head}${(nextId++).toString(36)}-${process.pid}${tail ?? ''}`;
    return request;
  };
}

/** Which load generator drives unpaced slices in this process. */
export function loadGenerator(): 'wrk' | 'autocannon' {
  return process.env.TOLLGATE_BENCH_LOAD !== 'autocannon' && wrkAvailable() ? 'wrk' : 'autocannon';
}

export function runSlice(spec: LoadSpec): Promise<LoadSlice> {
  return spec.overallRate === undefined && loadGenerator() === 'wrk' ? runWrkSlice(spec) : runAutocannonSlice(spec);
}

function runAutocannonSlice(spec: LoadSpec): Promise<LoadSlice> {
  const samplesMs: number[] = [];
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...spec.headers },
        body: spec.body,
        connections: spec.connections,
        pipelining: 1,
        duration: spec.durationSec,
        timeout: 10,
        ...(spec.idReplacement === true ? { requests: [{ setupRequest: freshId(spec.body) }] } : {}),
        ...(spec.overallRate !== undefined ? { overallRate: spec.overallRate } : {}),
      },
      (err, result) => {
        if (err) {
          reject(err);
          return;
        }
        const elapsedSec = Number(process.hrtime.bigint() - started) / 1e9;
        resolve({ samplesMs, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts, elapsedSec });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTimeMs) => {
      samplesMs.push(responseTimeMs);
    });
  });
}
