/**
 * A stored answer: enough to replay it exactly. A streamed answer keeps its SSE data payloads
 * in order (replayed byte for byte, `[DONE]` included); a non-streamed one keeps its body
 * bytes. Usage, the provider and model that answered, and the cost (what a hit saves) travel
 * with it, as do its creation and expiry times (epoch ms; the expiry is checked on every read,
 * so a store's own eviction is only housekeeping).
 *
 * Entries cross process boundaries (SQLite, Redis) as text (encodeEntry); in memory they carry
 * their rendered response bytes so a hit writes stored bytes straight out.
 */
import { SSE_DONE, sseData } from '../http/response-writer.js';
import { jsonNumber, jsonNumberOrNull, jsonString } from '../logging/json-text.js';
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

/**
 * The text form: one line of JSON with everything but the answer, then the answer itself — the
 * JSON body as sent, or the stream's payloads one per line. Escaping a body into a JSON string
 * cost more than everything else in storing it (about 6 µs of 8 for a small chat answer, 11 of
 * 16 for a short stream); raw text needs none, and reading it back is a slice instead of a parse.
 * A stream with a payload that holds a newline (possible, if rare, for an SSE event of several
 * data lines) is written whole as JSON, the first format, which decodeEntry still reads.
 */
export function encodeEntry(entry: CachedAnswer): string {
  if (entry.kind === 'json') return `${headerLine(entry, undefined)}\n${entry.body ?? ''}`;
  const lines = entry.payloads ?? [];
  if (lines.some((p) => p.includes('\n'))) return JSON.stringify(entry);
  return `${headerLine(entry, lines.length)}\n${lines.join('\n')}`;
}

/** The usage counts an entry keeps (the four of Usage; absent ones left out, as the serializer would). */
function usageJson(u: Usage | null): string {
  if (u === null) return 'null';
  let out = `{"inputTokens":${jsonNumber(u.inputTokens)},"outputTokens":${jsonNumber(u.outputTokens)}`;
  if (u.cachedInputTokens !== undefined) out += `,"cachedInputTokens":${jsonNumber(u.cachedInputTokens)}`;
  if (u.cacheWriteTokens !== undefined) out += `,"cacheWriteTokens":${jsonNumber(u.cacheWriteTokens)}`;
  return `${out}}`;
}

/**
 * The header line: every field but the answer, written field by field (json-text.ts), since
 * `JSON.stringify` of this small object cost about 2 µs per stored answer (undefined fields are
 * its slowest case). Absent optional fields are left out, as the serializer leaves them out.
 */
function headerLine(entry: CachedAnswer, n: number | undefined): string {
  const chunk = entry.usageChunk === undefined ? '' : `"usageChunk":${entry.usageChunk},`;
  const count = n === undefined ? '' : `,"n":${jsonNumber(n)}`;
  return `{"v":2,"kind":${jsonString(entry.kind)},${chunk}"usage":${usageJson(entry.usage)},"provider":${jsonString(entry.provider)},`
    + `"model":${jsonString(entry.model)},"costMicros":${jsonNumberOrNull(entry.costMicros)},"createdAt":${jsonNumber(entry.createdAt)},`
    + `"expiresAt":${jsonNumber(entry.expiresAt)}${count}}`;
}

function isUsage(u: unknown): u is Usage {
  return u !== null && typeof u === 'object' && typeof (u as Usage).inputTokens === 'number' && typeof (u as Usage).outputTokens === 'number';
}

function parsed(text: string): Partial<CachedAnswer> & { n?: unknown } | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The header line and answer of the text form, as the in-memory entry (not yet checked). */
function fromLines(text: string, newline: number): Partial<CachedAnswer> | undefined {
  const head = parsed(text.slice(0, newline));
  if (!head || (head.v as number) !== 2) return undefined;
  const rest = text.slice(newline + 1);
  if (head.kind === 'json') return entryFrom(head, rest, undefined);
  const payloads = head.n === 0 ? [] : rest.split('\n');
  return head.n === payloads.length ? entryFrom(head, undefined, payloads) : undefined;
}

/** The in-memory entry of a header line, in the one shape every entry has (see headerLine). */
function entryFrom(head: Partial<CachedAnswer>, body: string | undefined, payloads: string[] | undefined): Partial<CachedAnswer> {
  return {
    v: 1,
    kind: head.kind,
    body,
    payloads,
    usageChunk: head.usageChunk,
    usage: head.usage,
    provider: head.provider,
    model: head.model,
    costMicros: head.costMicros,
    createdAt: head.createdAt,
    expiresAt: head.expiresAt,
  };
}

/** Parses stored text; anything not shaped like an entry is undefined (treated as a miss). */
export function decodeEntry(text: string): CachedAnswer | undefined {
  // The first format is one JSON document, which never holds a raw newline.
  const newline = text.indexOf('\n');
  const e = newline === -1 ? parsed(text) : fromLines(text, newline);
  if (e === undefined || e.v !== 1) return undefined;
  if (typeof e.provider !== 'string' || typeof e.model !== 'string' || typeof e.expiresAt !== 'number' || typeof e.createdAt !== 'number') return undefined;
  if (e.usage !== null && !isUsage(e.usage)) return undefined;
  if (e.kind === 'json' && typeof e.body === 'string') return e as CachedAnswer;
  if (e.kind === 'stream' && Array.isArray(e.payloads) && e.payloads.every((p) => typeof p === 'string')) return e as CachedAnswer;
  return undefined;
}

/** About the length of the entry's text form, for an in-process-only cache that never encodes it. */
export function textLengthOf(entry: CachedAnswer): number {
  let answer = entry.body?.length ?? 0;
  for (const p of entry.payloads ?? []) answer += p.length + 1;
  return answer + 200;
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
