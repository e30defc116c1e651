/**
 * Tollgate API keys: how they are minted, read from a request and hashed.
 *
 * Keys are 32 random bytes (256 bits) behind a `tg-` prefix. They are stored only as SHA-256
 * digests: a slow password hash (scrypt, argon2) exists to make guessing low-entropy secrets
 * expensive, but nobody can guess a 256-bit random value, so a fast hash loses nothing and
 * keeps the per-request lookup cheap. The lookup is by digest, and the final comparison is
 * `timingSafeEqual` over equal-length digests, so neither a key's content nor its length
 * shapes the response time.
 *
 * This module does not know tenants, limits or storage (key-registry.ts).
 */
import { createHash, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { bearerToken } from '../http/bearer-token.js';

export const KEY_PREFIX = 'tg-';

export function mintKey(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** The same digest as hex, with the one-shot hash (no Hash object; the per-request path). */
export function hashKeyHex(key: string): string {
  return hash('sha256', key, 'hex');
}

export function sameDigest(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Equal hex digests, compared in a time that depends only on their length (no early exit).
 * Comparing the strings themselves spares turning both into Buffers per request for
 * timingSafeEqual, which cost more than the hash.
 */
export function sameHexDigest(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** First 8 characters after the prefix: shown in listings so people can tell keys apart. */
export function keyHint(key: string): string {
  return `${key.slice(0, KEY_PREFIX.length + 4)}…`;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined ? undefined : s.trim();
}

/**
 * The Tollgate key a request presents: `cf-aig-authorization` (Cloudflare's gateway token
 * header, with or without `Bearer`) wins; otherwise `Authorization: Bearer`. Surrounding blanks are ignored; case is not (keys are case-sensitive secrets).
 * In pass-through mode Authorization carries the provider key, so only the alias is read.
 */
export function presentedKey(headers: IncomingHttpHeaders, passthrough: boolean): string | undefined {
  const alias = header(headers, 'cf-aig-authorization');
  if (alias !== undefined) return bearerToken(alias) ?? alias;
  if (passthrough) return undefined;
  return bearerToken(headers.authorization);
}
