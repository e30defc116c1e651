/**
 * What the mock says and how it counts, in one place so tests can compute expected values.
 *
 * The rule (identical for every wire format):
 * - Content: `DEFAULT_CONTENT`, or `UTF8_CONTENT` under the `splitUtf8` directive, or the
 *   `content` directive. It is cut into N pieces, N = the `chunks` directive (default 5), by
 *   code points: piece i holds code points [floor(i*L/N), floor((i+1)*L/N)). When the text has
 *   fewer than N code points it is first repeated, joined by single spaces, until L >= N, so no
 *   piece is empty. A stream sends one piece per content chunk; a non-stream answer is the
 *   pieces joined, i.e. the (possibly repeated) text.
 * - Output tokens = N, streamed or not.
 * - Input tokens = max(1, ceil(C / 4)), C = the summed JS string length of every message's
 *   content (a string, or the `text` of its parts), Anthropic `system` (string or text blocks),
 *   Responses `instructions`, `prompt`, `input` and `text` (strings or arrays of strings), and
 *   the content of Responses `input` items. Tools and other fields do not count.
 * - Embeddings: `EMBEDDING_DIMS` (8) values per input unless the request sets `dimensions`;
 *   value i is derived from an FNV-1a hash of the input and i, always a multiple of 1/1024 in
 *   [-1, 1] so it survives float32 (base64) encoding exactly.
 *
 * This module holds no wire shapes; the dialect modules do.
 */

export const DEFAULT_CONTENT = 'This is a deterministic reply from the Tollgate mock upstream.';
/** Dense in 2-, 3- and 4-byte UTF-8 sequences so every stream write can be split inside one. */
export const UTF8_CONTENT = 'é€😀 Grüße, 5€ 😀 — ça coûte 🎉 naïve café ✓ é€😀';
export const DEFAULT_CHUNKS = 5;
export const EMBEDDING_DIMS = 8;
const MAX_DIMS = 4096;

const pieceCache = new Map<string, readonly string[]>();
const PIECE_CACHE_LIMIT = 256;

/** Splits text into exactly `count` non-empty pieces following the module rule. */
export function contentPieces(text: string, count: number): readonly string[] {
  const n = Math.max(1, Math.floor(count));
  const key = `${n}\u0000${text}`;
  const cached = pieceCache.get(key);
  if (cached) return cached;
  let points = Array.from(text);
  if (points.length === 0) points = [' '];
  const unit = points;
  while (points.length < n) points = points.concat([' '], unit);
  const pieces: string[] = [];
  const L = points.length;
  for (let i = 0; i < n; i++) {
    pieces.push(points.slice(Math.floor((i * L) / n), Math.floor(((i + 1) * L) / n)).join(''));
  }
  const frozen = Object.freeze(pieces);
  // Bounded so a benchmark sweeping chunk counts or contents cannot grow memory.
  if (pieceCache.size >= PIECE_CACHE_LIMIT) pieceCache.clear();
  pieceCache.set(key, frozen);
  return frozen;
}

function textLength(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (!Array.isArray(value)) return 0;
  let sum = 0;
  for (const item of value) {
    if (typeof item === 'string') sum += item.length;
    else if (item !== null && typeof item === 'object') {
      const text = (item as { text?: unknown }).text;
      if (typeof text === 'string') sum += text.length;
    }
  }
  return sum;
}

/** C in the module rule: characters of request text that count toward input tokens. */
export function requestTextChars(body: Record<string, unknown>): number {
  let sum = textLength(body.system) + textLength(body.instructions) + textLength(body.prompt) + textLength(body.input) + textLength(body.text);
  // Chat messages and Responses API input items (`input: [{ role, content }]`) alike.
  for (const list of [body.messages, body.input]) {
    if (!Array.isArray(list)) continue;
    for (const m of list) {
      if (m !== null && typeof m === 'object') sum += textLength((m as { content?: unknown }).content);
    }
  }
  return sum;
}

export function inputTokensFor(body: Record<string, unknown>): number {
  return Math.max(1, Math.ceil(requestTextChars(body) / 4));
}

/** The inputs of an embeddings request as strings (`input` for OpenAI, `text` for Workers AI). */
export function embeddingInputs(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return [''];
}

export function embeddingDims(requested: unknown): number {
  if (typeof requested === 'number' && Number.isInteger(requested) && requested >= 1) return Math.min(requested, MAX_DIMS);
  return EMBEDDING_DIMS;
}

function fnv1a(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function embeddingVector(text: string, dims: number): number[] {
  const out = new Array<number>(dims);
  for (let i = 0; i < dims; i++) out[i] = ((fnv1a(text, i * 0x9e3779b1) % 2049) - 1024) / 1024;
  return out;
}

/** The `encoding_format: "base64"` spelling: little-endian float32 bytes, base64-encoded. */
export function vectorToBase64(vector: readonly number[]): string {
  const bytes = Buffer.from(new Float32Array(vector).buffer);
  return bytes.toString('base64');
}
