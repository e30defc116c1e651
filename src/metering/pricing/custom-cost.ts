/**
 * Parses the per-request custom cost header (`x-tollgate-custom-cost`, or Cloudflare's
 * `cf-aig-custom-cost`), which lets a caller price a request itself, e.g. for a negotiated rate:
 *   {"per_token_in":0.000001,"per_token_out":0.000002}   USD per token
 *   {"total_cost":0.05}                                   USD for the whole request
 *
 * Anything malformed, ambiguous (both forms, unknown fields, repeated header), negative or beyond
 * the bounds below yields undefined, so the catalogue price applies instead. It never throws: the
 * value is client input on the request path.
 */
import { usdToMicrosRounded } from './micros.js';

export type CustomCost =
  | { readonly kind: 'total'; readonly micros: number }
  | { readonly kind: 'per-token'; readonly inputMicrosPerMillion: number; readonly outputMicrosPerMillion: number };

/** Generous upper bounds: above them a value is far more likely a unit mistake than a price. */
export const CUSTOM_COST_LIMITS = Object.freeze({
  maxHeaderChars: 512,
  /** USD per token (= $10,000 per 1M tokens). */
  maxPerTokenUsd: 0.01,
  /** USD per request. */
  maxTotalUsd: 1000,
});

const FIELDS = new Set(['per_token_in', 'per_token_out', 'total_cost']);

function amount(v: unknown, max: number): number | undefined | null {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max) return null;
  return v;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Per-token prices become micro-USD per 1M tokens (USD × 10^12), rounded to the nearest whole
 * unit; totals become micro-USD rounded to the nearest micro-dollar.
 */
export function parseCustomCost(headerValue: string | readonly string[] | null | undefined): CustomCost | undefined {
  if (typeof headerValue !== 'string' || headerValue.length > CUSTOM_COST_LIMITS.maxHeaderChars) return undefined;
  const obj = parseObject(headerValue);
  if (!obj || Object.keys(obj).some((k) => !FIELDS.has(k))) return undefined;
  const total = amount(obj.total_cost, CUSTOM_COST_LIMITS.maxTotalUsd);
  const perIn = amount(obj.per_token_in, CUSTOM_COST_LIMITS.maxPerTokenUsd);
  const perOut = amount(obj.per_token_out, CUSTOM_COST_LIMITS.maxPerTokenUsd);
  if (total === null || perIn === null || perOut === null) return undefined;
  const perToken = perIn !== undefined || perOut !== undefined;
  if (total !== undefined) {
    return perToken ? undefined : { kind: 'total', micros: usdToMicrosRounded(total) };
  }
  if (!perToken) return undefined;
  return {
    kind: 'per-token',
    inputMicrosPerMillion: Math.round((perIn ?? 0) * 1e12),
    outputMicrosPerMillion: Math.round((perOut ?? 0) * 1e12),
  };
}
