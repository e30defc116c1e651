/**
 * Reads the data-sensitivity level a client declares with `x-tollgate-sensitivity`. `internal`
 * and `confidential` data may only reach providers marked `trusted: true` (target-condition.ts
 * enforces that).
 *
 * It fails closed: a value it does not recognise (a typo such as "confidental", a list, an
 * unknown level) is read as `confidential`, the most restrictive level, because a client that
 * tried to mark data as sensitive must never have it leak to an untrusted provider through a
 * spelling mistake. Only an absent or empty header means `public`.
 */
import type { IncomingHttpHeaders } from 'node:http';

export type Sensitivity = 'public' | 'internal' | 'confidential';

export const SENSITIVITY_HEADER = 'x-tollgate-sensitivity';

const LEVELS: ReadonlySet<string> = new Set<Sensitivity>(['public', 'internal', 'confidential']);

export function parseSensitivity(value: string | readonly string[] | undefined): Sensitivity {
  if (value === undefined) return 'public';
  if (typeof value !== 'string') return value.length === 0 ? 'public' : 'confidential';
  const v = value.trim().toLowerCase();
  if (v === '') return 'public';
  return LEVELS.has(v) ? (v as Sensitivity) : 'confidential';
}

export function sensitivityFromHeaders(headers: IncomingHttpHeaders): Sensitivity {
  return parseSensitivity(headers[SENSITIVITY_HEADER]);
}

/** Whether data of this level may be sent to an untrusted provider. */
export function allowsUntrusted(level: Sensitivity): boolean {
  return level === 'public';
}
