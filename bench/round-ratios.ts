/**
 * How sure a throughput ratio is. A row's ratio to its twin (floor, gateway-bare, a baseline
 * mode) is taken over all slices added together; because each round runs every target of a
 * group once, slice i of one row and slice i of its twin ran minutes apart at most and form a
 * pair. The per-round ratios of those pairs show how far the machine's drift moved the figure:
 * a target that passes or misses by less than that spread is within noise.
 *
 * It judges nothing new: targets are still judged on the aggregate ratio; the spread is printed
 * beside it (and kept in the JSON rows) so a reader can tell a clear miss from a coin flip.
 * The throughput targets of report.ts, guard-scenarios.ts and full-scenarios.ts are all
 * "worst concurrency at or above a limit", built here by one function (ratioCheck).
 */
import type { LoadResult } from './load.js';
import type { Row, TargetCheck } from './report.js';

/** Per-round ratios of `a`'s requests/s over `b`'s (pairs of slices of the same round). */
export function roundRatios(a: LoadResult, b: LoadResult): number[] {
  const n = Math.min(a.sliceRps.length, b.sliceRps.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (b.sliceRps[i] > 0) out.push(a.sliceRps[i] / b.sliceRps[i]);
  return out;
}

/** A ratio and the per-round ratios behind it (empty when unknown). */
export interface Ratio {
  value: number;
  rounds: readonly number[];
}

/** The lowest of the rows' ratios (the "worst concurrency" the targets judge), or null. */
export function worstRatio(ratios: ReadonlyArray<Ratio | null>): Ratio | null {
  let worst: Ratio | null = null;
  for (const r of ratios) if (r !== null && (worst === null || r.value < worst.value)) worst = r;
  return worst;
}

function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/** `80.1% (rounds 74.0-86.2%)`: the value, then the middle 80% of its per-round ratios. */
export function ratioText(r: Ratio | null, unit: 'percent' | 'times'): string {
  if (r === null) return 'n/a';
  const show = (v: number): string => (unit === 'percent' ? (v * 100).toFixed(1) : v.toFixed(2));
  const suffix = unit === 'percent' ? '%' : 'x';
  if (r.rounds.length < 3) return `${show(r.value)}${suffix}`;
  const sorted = [...r.rounds].sort((a, b) => a - b);
  return `${show(r.value)}${suffix} (rounds ${show(quantile(sorted, 0.1))}-${show(quantile(sorted, 0.9))}${suffix})`;
}

/** A row's throughput ratio of one kind with its per-round spread, or null where it has none. */
export function rowRatio(row: Row, kind: 'vsFloor' | 'vsBare' | 'vsBaseline'): Ratio | null {
  const value = kind === 'vsFloor' ? row.throughputVsFloor : kind === 'vsBare' ? row.throughputVsBare : row.throughputVsBaseline;
  return value === null ? null : { value, rounds: row.rounds[kind] };
}

/** The worst (lowest) ratio of one kind over the rows that `pick` selects. */
export function worstOf(rows: readonly Row[], pick: (r: Row) => boolean, kind: 'vsFloor' | 'vsBare' | 'vsBaseline'): Ratio | null {
  return worstRatio(rows.filter(pick).map((r) => rowRatio(r, kind)));
}

/** A throughput target: the worst ratio against a lower limit, printed with its spread. */
export function ratioCheck(name: string, worst: Ratio | null, limit: number, unit: 'percent' | 'times' = 'percent', enforced = true): TargetCheck {
  return {
    name,
    value: ratioText(worst, unit),
    limit: !enforced ? 'reported' : unit === 'percent' ? `>= ${limit * 100}%` : `>= ${limit}x`,
    pass: worst === null || !enforced ? null : worst.value >= limit,
  };
}
