/**
 * A small HTTP client for the mock upstream's own tests (and any other test that wants raw
 * access to it): `call` for whole answers through undici, `exchange` for byte-level views
 * through node:http (the chunks as they arrived, whether the body ended or was cut), and
 * `events` to parse SSE text with the project's SseParser.
 *
 * Not used by the mock at run time.
 */
import { request as httpRequest } from 'node:http';
import { request } from 'undici';
import { SseParser, type SseEvent } from '../upstream/sse-parser.js';

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
}

export async function call(base: string, path: string, opts: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = { ...opts.headers };
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await request(base + path, { method: opts.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

export function json<T = Record<string, unknown>>(result: CallResult): T {
  return JSON.parse(result.text) as T;
}

/** Parses a complete SSE body; `incomplete` tells whether the last event lacked its blank line. */
export function events(text: string | Buffer): { list: SseEvent[]; incomplete: boolean } {
  const parser = new SseParser();
  const list = parser.push(text);
  const tail = parser.end();
  return { list: list.concat(tail.events), incomplete: tail.incomplete };
}

export interface Exchange {
  status: number | undefined;
  headers: Record<string, string | string[] | undefined>;
  /** Body pieces in arrival order. */
  chunks: Buffer[];
  /** Milliseconds from sending the request to each chunk's arrival. */
  arrivals: number[];
  /** Milliseconds from sending the request to the response headers. */
  headersAt: number | undefined;
  /** The body ended normally. */
  ended: boolean;
  /** Code or message of the error that ended the exchange, if any. */
  error: string | undefined;
}

export interface ExchangeOptions {
  headers?: Record<string, string>;
  /** Give up (destroy the request) after this many ms; default 5000. */
  abortAfterMs?: number;
}

/** Sends a JSON POST and records exactly what came back, including cuts and resets. */
export function exchange(base: string, path: string, body: unknown, opts: ExchangeOptions = {}): Promise<Exchange> {
  const started = performance.now();
  const out: Exchange = { status: undefined, headers: {}, chunks: [], arrivals: [], headersAt: undefined, ended: false, error: undefined };
  return new Promise((resolve) => {
    let settled = false;
    const finish = (error?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error !== undefined && !out.ended) out.error = error;
      resolve(out);
    };
    const req = httpRequest(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...opts.headers } }, (res) => {
      out.status = res.statusCode;
      out.headers = res.headers;
      out.headersAt = performance.now() - started;
      res.on('data', (chunk: Buffer) => {
        out.chunks.push(chunk);
        out.arrivals.push(performance.now() - started);
      });
      res.on('end', () => {
        out.ended = true;
        finish();
      });
      res.on('error', (err: NodeJS.ErrnoException) => finish(err.code ?? err.message));
      res.on('close', () => finish(out.ended ? undefined : 'closed'));
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish('timeout');
    }, opts.abortAfterMs ?? 5000);
    req.on('error', (err: NodeJS.ErrnoException) => finish(err.code ?? err.message));
    req.end(JSON.stringify(body));
  });
}

export function bodyText(ex: Exchange): string {
  return Buffer.concat(ex.chunks).toString('utf8');
}

/** Resolves after `ms`. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Decodes an `encoding_format: "base64"` embedding (little-endian float32). */
export function decodeFloat32Base64(text: string): number[] {
  // Copy into a fresh buffer: Buffer.from may return a view at an unaligned pool offset.
  return Array.from(new Float32Array(Uint8Array.from(Buffer.from(text, 'base64')).buffer));
}

/** Polls `check` until it returns true; fails after `timeoutMs` (timing-tolerant assertions on busy machines). */
export async function waitFor(check: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(5);
  }
}
