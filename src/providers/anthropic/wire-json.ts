/**
 * Narrowing helpers for untyped JSON, both the client's parsed body and the provider's
 * answers. They only test shapes; they never coerce a wrong type into a right one, so a
 * caller decides whether a mismatch is a client error, a provider error or simply absent.
 */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A token count: a finite non-negative number floored to an integer, else undefined. */
export function countOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
}
