/**
 * A mergeable latency sketch: counts per fixed, log-spaced bucket (a quarter octave apart, from
 * 0.1 ms to about 8 minutes). Because the bucket bounds never change, sketches of different
 * hours, providers or models merge by adding counts, and a percentile read from the merged
 * sketch is off by at most one bucket width (about ±9%) — exact enough for p50/p95/p99 over
 * any window, at a fixed cost per rollup row.
 *
 * The same bounds give the bucket in JavaScript (`bucketOf`) and in SQL (`bucketCaseSql`, for
 * PostgreSQL inserts and migration backfills), so both backends file a latency alike.
 */
export const BUCKET_BOUNDS_MS: readonly number[] = Object.freeze(Array.from({ length: 90 }, (_, i) => Math.round(0.1 * 2 ** (i / 4) * 1e6) / 1e6));

/** Bucket i holds latencies below BUCKET_BOUNDS_MS[i] (and at or above the previous bound); the last holds the rest. */
export const BUCKET_COUNT = BUCKET_BOUNDS_MS.length + 1;

export function bucketOf(latencyMs: number): number {
  let lo = 0;
  let hi = BUCKET_BOUNDS_MS.length;
  // First bound strictly above the value (binary search).
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (latencyMs < BUCKET_BOUNDS_MS[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The same function as SQL over a column: a CASE over the bounds. */
export function bucketCaseSql(column: string): string {
  const whens = BUCKET_BOUNDS_MS.map((b, i) => `WHEN ${column} < ${b} THEN ${i}`).join(' ');
  return `(CASE ${whens} ELSE ${BUCKET_BOUNDS_MS.length} END)`;
}

/** A representative latency for a bucket: the geometric middle of its bounds. */
export function bucketValue(bucket: number): number {
  const b = BUCKET_BOUNDS_MS;
  if (bucket <= 0) return b[0] / 2;
  if (bucket >= b.length) return b[b.length - 1];
  return Math.sqrt(b[bucket - 1] * b[bucket]);
}

/** Sparse counts by bucket index. */
export type LatencySketch = Record<number, number>;

export function mergeSketch(into: LatencySketch, from: LatencySketch): LatencySketch {
  for (const [k, v] of Object.entries(from)) into[Number(k)] = (into[Number(k)] ?? 0) + v;
  return into;
}

/** The q-quantile (0..1) in ms, or null for an empty sketch. */
export function quantile(sketch: LatencySketch, q: number): number | null {
  const buckets = Object.keys(sketch).map(Number).sort((a, b) => a - b);
  let total = 0;
  for (const b of buckets) total += sketch[b];
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const b of buckets) {
    seen += sketch[b];
    if (seen >= rank) return Math.round(bucketValue(b) * 1000) / 1000;
  }
  return Math.round(bucketValue(buckets[buckets.length - 1]) * 1000) / 1000;
}
