/**
 * Small pure helpers adapters use to describe a native pass-through call (`passthroughCall`):
 * the path without its query string, and the body fields every native API spells the same way.
 * No provider knowledge lives here; which paths are billable is each adapter's business.
 */
import type { Operation, PassthroughCall } from './types.js';

/** The path without query string or trailing slash. */
export function pathOnly(path: string): string {
  const q = path.indexOf('?');
  const p = q === -1 ? path : path.slice(0, q);
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

export function positiveInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}

/** A call for `model` (the body's `model` unless given), undefined when there is no model. */
export function callFor(operation: Operation, body: Readonly<Record<string, unknown>>, model: unknown = body.model): PassthroughCall | undefined {
  if (typeof model !== 'string' || model.length === 0 || model.length > 256) return undefined;
  return {
    operation,
    model,
    maxOutputTokens: operation === 'embeddings' ? undefined : positiveInt(body.max_tokens) ?? positiveInt(body.max_completion_tokens),
    stream: body.stream === true,
  };
}
