/**
 * The soak's measurements and verdict: open file descriptors and sockets of a process (from
 * /proc, Linux only), the least-squares slope of post-GC heap and RSS samples, the lost-row
 * count, and the pass/fail thresholds with a printable report. Pure functions over numbers the
 * orchestrator (soak.ts) collected; nothing here starts processes or sends traffic.
 */
import { readdirSync, readlinkSync } from 'node:fs';

export interface MemorySample {
  /** Seconds since traffic started. */
  t: number;
  heapUsed: number;
  rss: number;
}

export interface Handles {
  fds: number;
  sockets: number;
}

/** Open descriptors of `pid` and how many of them are sockets; null where /proc is missing. */
export function handlesOf(pid: number): Handles | null {
  try {
    const dir = `/proc/${pid}/fd`;
    let fds = 0;
    let sockets = 0;
    for (const fd of readdirSync(dir)) {
      fds++;
      try {
        if (readlinkSync(`${dir}/${fd}`).startsWith('socket:')) sockets++;
      } catch {
        // Closed between the listing and the readlink.
      }
    }
    return { fds, sockets };
  } catch {
    return null;
  }
}

/** Least-squares slope of y over x; 0 with fewer than two distinct x. */
export function slope(points: ReadonlyArray<readonly [number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

const MIB = 1024 * 1024;

/** Slope in MiB per minute of one field over the samples after warm-up. */
export function mibPerMinute(samples: readonly MemorySample[], field: 'heapUsed' | 'rss'): number {
  return slope(samples.map((s) => [s.t / 60, s[field] / MIB] as const));
}

export interface Thresholds {
  heapSlopeMibPerMin: number;
  rssSlopeMibPerMin: number;
  /** Post-GC heap at the end may exceed the first post-warm-up sample by at most this. */
  heapGrowthMib: number;
  fdTolerance: number;
  socketTolerance: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  heapSlopeMibPerMin: 0.5, rssSlopeMibPerMin: 2, heapGrowthMib: 32, fdTolerance: 6, socketTolerance: 4,
};

/** Slopes over runs shorter than this are noise (GC and pool warm-up), so only growth is judged. */
export const MIN_SLOPE_SECONDS = 120;

export interface SoakResult {
  seconds: number;
  requests: number;
  outcomes: Record<string, number>;
  stored: number;
  lost: number;
  unexpected: number;
  handlesBefore: Handles | null;
  handlesAfter: Handles | null;
  samples: MemorySample[];
  /** Samples used for the slopes (after warm-up). */
  steady: MemorySample[];
  heapSlope: number;
  rssSlope: number;
  heapGrowthMib: number;
  peakRssMib: number;
  failures: string[];
}

export function judge(r: Omit<SoakResult, 'failures'>, th: Thresholds): string[] {
  const out: string[] = [];
  if (r.lost > 0) out.push(`${r.lost} request(s) missing from the log store`);
  if (r.unexpected > 0) out.push(`${r.unexpected} stored row(s) the soak did not send`);
  if (r.handlesBefore && r.handlesAfter) {
    if (r.handlesAfter.fds > r.handlesBefore.fds + th.fdTolerance) out.push(`fds ${r.handlesBefore.fds} -> ${r.handlesAfter.fds}`);
    if (r.handlesAfter.sockets > r.handlesBefore.sockets + th.socketTolerance) out.push(`sockets ${r.handlesBefore.sockets} -> ${r.handlesAfter.sockets}`);
  } else out.push('could not read /proc/<pid>/fd');
  if (r.heapGrowthMib > th.heapGrowthMib) out.push(`post-GC heap grew ${r.heapGrowthMib.toFixed(1)} MiB`);
  if (r.seconds >= MIN_SLOPE_SECONDS) {
    if (r.heapSlope > th.heapSlopeMibPerMin) out.push(`heap slope ${r.heapSlope.toFixed(3)} MiB/min`);
    if (r.rssSlope > th.rssSlopeMibPerMin) out.push(`RSS slope ${r.rssSlope.toFixed(3)} MiB/min`);
  }
  return out;
}

const mib = (bytes: number): string => (bytes / MIB).toFixed(1);

export function formatReport(r: SoakResult, th: Thresholds): string {
  const first = r.steady[0];
  const last = r.steady[r.steady.length - 1];
  const h = (x: Handles | null): string => (x ? `${x.fds} fds (${x.sockets} sockets)` : 'n/a');
  const lines = [
    `soak: ${r.seconds} s of traffic, ${r.requests} requests (${(r.requests / r.seconds).toFixed(1)}/s)`,
    `outcomes: ${Object.entries(r.outcomes).sort().map(([k, v]) => `${k}=${v}`).join(', ')}`,
    `log rows: ${r.stored} stored, ${r.lost} lost, ${r.unexpected} unexpected`,
    `handles: before ${h(r.handlesBefore)}, after ${h(r.handlesAfter)} (tolerance +${th.fdTolerance} fds, +${th.socketTolerance} sockets)`,
    `post-GC heap: ${first ? mib(first.heapUsed) : '?'} -> ${last ? mib(last.heapUsed) : '?'} MiB, slope ${r.heapSlope.toFixed(3)} MiB/min (limit ${th.heapSlopeMibPerMin}), growth ${r.heapGrowthMib.toFixed(1)} MiB (limit ${th.heapGrowthMib})`,
    `RSS: ${first ? mib(first.rss) : '?'} -> ${last ? mib(last.rss) : '?'} MiB, slope ${r.rssSlope.toFixed(3)} MiB/min (limit ${th.rssSlopeMibPerMin}), peak ${r.peakRssMib.toFixed(1)} MiB`,
    `samples: ${r.samples.length} (${r.steady.length} after warm-up)${r.seconds < MIN_SLOPE_SECONDS ? `; slopes not judged under ${MIN_SLOPE_SECONDS} s` : ''}`,
    r.failures.length === 0 ? 'result: PASS' : `result: FAIL (${r.failures.join('; ')})`,
  ];
  return lines.join('\n');
}
