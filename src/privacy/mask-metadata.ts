/**
 * Bounded, masked copy of request metadata (the `x-tollgate-metadata` / `cf-aig-metadata`
 * object) for events and logs: at most `maxKeys` entries, keys and values masked and cut to
 * their limits, scalar values only. Nested objects, arrays and nulls are dropped rather than
 * serialized, so a client cannot smuggle a payload through metadata, and prototype-related keys
 * are skipped.
 */
import { maskBounded } from './mask-text.js';
import { stripControlChars } from './control-chars.js';

export interface MetadataLimits {
  readonly maxKeys: number;
  readonly maxKeyChars: number;
  readonly maxValueChars: number;
}

export const DEFAULT_METADATA_LIMITS: MetadataLimits = Object.freeze({ maxKeys: 16, maxKeyChars: 64, maxValueChars: 256 });

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function scalar(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  return undefined;
}

/** Returns null when nothing usable remains. */
export function maskMetadata(obj: unknown, limits: Partial<MetadataLimits> = {}): Record<string, string> | null {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return null;
  const l = { ...DEFAULT_METADATA_LIMITS, ...limits };
  const out: Record<string, string> = {};
  let n = 0;
  for (const [rawKey, rawValue] of Object.entries(obj as Record<string, unknown>)) {
    if (n >= l.maxKeys) break;
    const value = scalar(rawValue);
    if (value === undefined || FORBIDDEN_KEYS.has(rawKey)) continue;
    const key = maskBounded(stripControlChars(rawKey), l.maxKeyChars);
    if (key.length === 0 || FORBIDDEN_KEYS.has(key)) continue;
    out[key] = maskBounded(stripControlChars(value), l.maxValueChars);
    n++;
  }
  return n > 0 ? out : null;
}
