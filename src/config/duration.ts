/**
 * Human durations in config (`30s`, `5m`, `1h`, `7d`, or a plain number of milliseconds),
 * parsed once at config load into milliseconds. It accepts one unit per value on purpose: a
 * value like `1h30m` is written `90m`, which keeps the grammar small and unambiguous.
 */
import { z } from 'zod';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PATTERN = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;

export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const m = PATTERN.exec(value.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNIT_MS[m[2]!]!);
}

/** A zod field accepting a duration and producing milliseconds within [minMs, maxMs]. */
export function durationMs(minMs: number, maxMs: number) {
  return z.union([z.string(), z.number()]).transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: 'expected a duration such as 30s, 5m, 1h, 7d or milliseconds' });
      return z.NEVER;
    }
    if (ms < minMs || ms > maxMs) {
      ctx.addIssue({ code: 'custom', message: `duration must be between ${minMs} ms and ${maxMs} ms` });
      return z.NEVER;
    }
    return ms;
  });
}
