/**
 * A stored answer: enough to replay it exactly. A streamed answer keeps its SSE data payloads
 * in order (replayed byte for byte, `[DONE]` included); a non-streamed one keeps its body
 * bytes. Usage, the provider and model that answered, and the cost (what a hit saves) travel
 * with it, as do its creation and expiry times (epoch ms; the expiry is checked on every read,
 * so a store's own eviction is only housekeeping).
 *
 * Entries cross process boundaries (SQLite, Redis) as JSON text; in memory they carry their
 * rendered response bytes so a hit writes stored bytes straight out.
 */
import { SSE_DONE, sseData } from '../http/response-writer.js';
import type { Usage } from '../providers/types.js';

export interface CachedAnswer {
  v: 1;
  kind: 'json' | 'stream';
  /** JSON answers: the body as sent. */
  body?: string;
  /** Streamed answers: the SSE data payloads as sent, without `[DONE]`. */
  payloads?: string[];
  /** The stream carried a usage chunk (`stream_options.include_usage`). */
  usageChunk?: boolean;
  usage: Usage | null;
  provider: string;
  model: string;
  costMicros: number | null;
  createdAt: number;
  expiresAt: number;
}

/** An entry as held in memory: decoded once, with its response bytes rendered lazily. */
export interface HeldAnswer {
  readonly entry: CachedAnswer;
  /** Bytes this answer takes in memory, for the LRU bound. */
  readonly size: number;
  /** JSON body or full SSE text of the entry's own shape. */
  bytes: Buffer | undefined;
}

export function encodeEntry(entry: CachedAnswer): string {
  return JSON.stringify(entry);
}

function isUsage(u: unknown): u is Usage {
  return u !== null && typeof u === 'object' && typeof (u as Usage).inputTokens === 'number' && typeof (u as Usage).outputTokens === 'number';
}

/** Parses stored text; anything not shaped like an entry is undefined (treated as a miss). */
export function decodeEntry(text: string): CachedAnswer | undefined {
  let e: Partial<CachedAnswer>;
  try {
    e = JSON.parse(text) as Partial<CachedAnswer>;
  } catch {
    return undefined;
  }
  if (e === null || typeof e !== 'object' || e.v !== 1) return undefined;
  if (typeof e.provider !== 'string' || typeof e.model !== 'string' || typeof e.expiresAt !== 'number' || typeof e.createdAt !== 'number') return undefined;
  if (e.usage !== null && !isUsage(e.usage)) return undefined;
  if (e.kind === 'json' && typeof e.body === 'string') return e as CachedAnswer;
  if (e.kind === 'stream' && Array.isArray(e.payloads) && e.payloads.every((p) => typeof p === 'string')) return e as CachedAnswer;
  return undefined;
}

/** `textLength`: the length of the entry's encoded text, a fair measure of its decoded size. */
export function hold(entry: CachedAnswer, textLength: number): HeldAnswer {
  // The decoded entry plus its rendered bytes: about twice the text, plus object overhead.
  return { entry, size: textLength * 2 + 256, bytes: undefined };
}

/** The response bytes of the entry in its own shape. */
export function ownBytes(held: HeldAnswer): Buffer {
  if (held.bytes) return held.bytes;
  const e = held.entry;
  const text = e.kind === 'json' ? e.body! : `${e.payloads!.map(sseData).join('')}${SSE_DONE}`;
  held.bytes = Buffer.from(text, 'utf8');
  return held.bytes;
}

export function heldSize(held: HeldAnswer): number {
  return held.size;
}
