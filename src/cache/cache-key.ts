/**
 * Cache keys. A key is SHA-256 over one structured tuple, serialised with JSON so no two
 * different tuples can share a serialisation: a format version, the scope (kind plus its
 * values, where a null tenant is JSON `null` and so distinct from any tenant name), the
 * endpoint, the model key, and either the client's custom key or the canonical request body.
 *
 * The canonical body is the parsed body with its top-level keys sorted and the fields that do
 * not change the answer left out (EXCLUDED_FIELDS). Nested values keep the client's order:
 * the order of, say, a tool schema's properties reaches the model and may change its answer.
 *
 * The stored key is `<scope tag>:<hash>`; the scope tag (a short hash of the tenant, or `g`
 * for global) lets an operator flush one tenant's entries without reading them. This module
 * does not decide the scope or the TTL (cache-controls.ts does).
 */
import { hash } from 'node:crypto';
import { jsonString, jsonStringOrNull } from '../logging/json-text.js';
import type { CacheScope } from './cache-config.js';

/** Body fields left out of the key: they change delivery or bookkeeping, not the answer. */
export const EXCLUDED_FIELDS: ReadonlySet<string> = new Set(['model', 'stream', 'stream_options', 'user', 'store', 'metadata']);

export interface KeyScope {
  kind: CacheScope;
  tenant: string | null;
  /** Set for `user` scope only. */
  user: string | null;
}

export interface KeyInput {
  scope: KeyScope;
  endpoint: string;
  /** What the client asked for plus the targets it maps to (see modelKey). */
  model: string;
  body: Record<string, unknown>;
  customKey: string | undefined;
}

/** Top-level sorted, excluded fields dropped; nested values as sent. */
export function canonicalBody(body: Record<string, unknown>): string {
  const keys = Object.keys(body).sort();
  // One serializer call over a copy holding the kept keys in sorted order (a call per key cost
  // about 0.2 µs each). A copy would not keep that order for integer-like keys (objects list
  // them first, numerically) nor hold `__proto__` as a plain key: those bodies take the slow way.
  const picked: Record<string, unknown> = {};
  for (const k of keys) {
    if (EXCLUDED_FIELDS.has(k) || body[k] === undefined) continue;
    const c = k.charCodeAt(0);
    if ((c >= 0x30 && c <= 0x39) || k === '__proto__') return canonicalByKey(body, keys);
    picked[k] = body[k];
  }
  return JSON.stringify(picked);
}

function canonicalByKey(body: Record<string, unknown>, sorted: readonly string[]): string {
  let out = '{';
  for (const k of sorted) {
    if (EXCLUDED_FIELDS.has(k) || body[k] === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(k)}:${JSON.stringify(body[k])}`;
  }
  return `${out}}`;
}

/** The one-shot hash: no Hash object per key (measurable on a miss-heavy load). */
function sha256(text: string): string {
  return hash('sha256', text, 'hex');
}

/**
 * Tags of recently seen tenants: the tag is a pure function of the tenant, and hashing it again
 * on every request was a measurable share of a cache hit's CPU. Bounded, and simply cleared when
 * full, since the set of tenants is small in practice and a miss only costs one hash.
 */
const TAG_MEMO_LIMIT = 4096;
const tagMemo = new Map<string | null, string>();

/** The prefix shared by every key of one tenant (all scopes but global). */
export function scopeTag(scope: KeyScope): string {
  if (scope.kind === 'global') return 'g';
  let tag = tagMemo.get(scope.tenant);
  if (tag === undefined) {
    tag = `t${sha256(JSON.stringify(['tenant', scope.tenant])).slice(0, 16)}`;
    if (tagMemo.size >= TAG_MEMO_LIMIT) tagMemo.clear();
    tagMemo.set(scope.tenant, tag);
  }
  return tag;
}

export function tenantTag(tenant: string | null): string {
  return scopeTag({ kind: 'tenant', tenant, user: null });
}

export function cacheKey(input: KeyInput): string {
  const { scope } = input;
  // The JSON text of [1, scope, endpoint, what], written out (json-text.ts) rather than serialized.
  const scopePart = scope.kind === 'global' ? '["global"]'
    : scope.kind === 'tenant' ? `["tenant",${jsonStringOrNull(scope.tenant)}]` : `["user",${jsonStringOrNull(scope.tenant)},${jsonStringOrNull(scope.user)}]`;
  const what = input.customKey !== undefined ? `["custom",${jsonString(input.customKey)}]` : `["body",${jsonString(input.model)}]`;
  const material = `[1,${scopePart},${jsonString(input.endpoint)},${what}]`;
  // The body is appended raw after a separator that cannot end the JSON array above.
  const body = input.customKey !== undefined ? '' : canonicalBody(input.body);
  return `${scopeTag(scope)}:${sha256(`${material}\n${body}`)}`;
}

/**
 * The model part of a key: the requested name, and for a route alias the targets it may use
 * (with their forced params), so editing a route does not serve answers of the old targets.
 */
export function modelKey(requested: string, targets: ReadonlyArray<{ id: string; params: Readonly<Record<string, unknown>> | undefined }>, isAlias: boolean): string {
  if (!isAlias) return requested;
  const ids = targets.map((t) => (t.params ? `${t.id}${JSON.stringify(t.params)}` : t.id)).sort();
  return JSON.stringify([requested, ids]);
}
