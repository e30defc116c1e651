/**
 * Drives one target with autocannon's programmatic API, inside the orchestrator process, and
 * returns throughput and latency. autocannon's own latency histogram only holds whole
 * milliseconds, too coarse for a 0.2 ms target, so this module also listens to every response
 * event (which carries the hrtime-based duration as a float) and computes its own percentiles.
 *
 * It does not check response bodies (sanity.ts does, once per target, before any load) and does
 * not decide what counts as good.
 */
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  body: string;
  connections: number;
  durationSec: number;
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
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

function summarise(samples: number[], raw: autocannon.Result, elapsedSec: number): LoadResult {
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    completed: sorted.length,
    requestsPerSec: sorted.length / elapsedSec,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    meanMs: sorted.length > 0 ? sum / sorted.length : Number.NaN,
    non2xx: raw.non2xx,
    errors: raw.errors,
    timeouts: raw.timeouts,
    elapsedSec,
  };
}

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const samples: number[] = [];
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: spec.body,
        connections: spec.connections,
        pipelining: 1,
        duration: spec.durationSec,
        timeout: 10,
      },
      (err, result) => {
        if (err) {
          reject(err);
          return;
        }
        const elapsedSec = Number(process.hrtime.bigint() - started) / 1e9;
        resolve(summarise(samples, result, elapsedSec));
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTimeMs) => {
      samples.push(responseTimeMs);
    });
  });
}
