/**
 * Writes a Reply to the socket and applies the timing and transport directives, which is
 * where every scripted fault becomes real bytes (or their absence):
 *
 * - `hang`: never answer; `reset`: TCP reset before any response byte (after `delayMs`).
 * - `delayMs` before the status line; `ttfbMs` after the headers, before the first body byte.
 * - `retryAfter` / `retryAfterMs`: `retry-after` / `retry-after-ms` headers on any answer.
 * - Streams (frame indexes are 0-based and count every SSE event of the reply, including the
 *   role/start events and the terminal `[DONE]`/`message_stop`): `chunkDelayMs` between frames,
 *   `cutAfter` N (write N frames, then close the socket without ending the chunked body),
 *   `stallAfter` N (write N frames, then send nothing more until the client leaves),
 *   `malformedAt` i (frame i's data cut in half, so its JSON is broken), `noDone` (drop the
 *   terminal frame, end cleanly), `crOnly` (CR line endings), `comments` (a `: keep-alive`
 *   line before every frame), `splitUtf8` (each frame written in two pieces, split inside
 *   its first multi-byte UTF-8 sequence). N at or past the frame count applies after the
 *   last frame, before the response end.
 * - JSON answers: `cutAfter` / `stallAfter` (any value) send the headers with the full
 *   Content-Length and the first half of the body, then cut / stall; `malformedAt` (any value)
 *   sends the first half of the body as a complete response; `splitUtf8` splits the body.
 *
 * The fast path (no fault, no delay) serializes the whole answer and sends it with one end().
 */
import type { ServerResponse } from 'node:http';
import type { Attempt } from './attempt-log.js';
import type { Directives } from './directives.js';
import type { Frame, Reply } from './reply.js';
import type { RequestLifetime } from './request-lifetime.js';

/** Pause between the two halves of a split write, so they reach the client as separate reads. */
const SPLIT_PAUSE_MS = 2;

export interface WriteContext {
  res: ServerResponse;
  lifetime: RequestLifetime;
  attempt: Attempt;
  /** Called just before the mock itself destroys the socket, so it is not taken for a client close. */
  markSelfClosed(): void;
}

function serializeFrame(frame: Frame, broken: boolean, eol: string, comments: boolean): string {
  const data = broken ? frame.data.slice(0, Math.max(1, Math.floor(frame.data.length / 2))) : frame.data;
  let text = comments ? `: keep-alive${eol}` : '';
  if (frame.event !== undefined) text += `event: ${frame.event}${eol}`;
  return `${text}data: ${data}${eol}${eol}`;
}

/** Byte offset that falls inside the first multi-byte UTF-8 sequence, or -1 when all ASCII. */
function utf8SplitPoint(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0xc0) return i + 1;
  return -1;
}

function write(res: ServerResponse, data: string | Buffer): Promise<void> {
  return new Promise((resolve) => {
    res.write(data, () => resolve());
  });
}

async function writeMaybeSplit(ctx: WriteContext, data: string | Buffer, split: boolean): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const at = split ? utf8SplitPoint(bytes) : -1;
  if (at === -1) return write(ctx.res, bytes);
  await write(ctx.res, bytes.subarray(0, at));
  if (await ctx.lifetime.sleep(SPLIT_PAUSE_MS)) await write(ctx.res, bytes.subarray(at));
}

async function cut(ctx: WriteContext, last: Promise<void> | undefined): Promise<void> {
  ctx.attempt.outcome = 'cut';
  // Let the bytes already written reach the kernel, so the client sees exactly N frames.
  if (last) await last;
  ctx.markSelfClosed();
  ctx.res.socket?.destroy();
}

async function stall(ctx: WriteContext): Promise<void> {
  ctx.attempt.outcome = 'stall';
  await ctx.lifetime.untilEnd();
}

async function writeFrames(ctx: WriteContext, all: Frame[], d: Directives): Promise<void> {
  const frames = d.noDone ? all.filter((f) => !f.terminal) : all;
  const eol = d.crOnly ? '\r' : '\n';
  const comments = d.comments === true;
  const plain = d.chunkDelayMs === undefined && d.cutAfter === undefined && d.stallAfter === undefined && !d.splitUtf8;
  if (plain) {
    ctx.res.end(frames.map((f, i) => serializeFrame(f, i === d.malformedAt, eol, comments)).join(''));
    return;
  }
  let last: Promise<void> | undefined;
  for (let i = 0; i <= frames.length; i++) {
    if (i === d.cutAfter || (i === frames.length && d.cutAfter !== undefined && d.cutAfter > i)) return cut(ctx, last);
    if (i === d.stallAfter || (i === frames.length && d.stallAfter !== undefined && d.stallAfter > i)) return stall(ctx);
    if (i === frames.length) break;
    if (i > 0 && d.chunkDelayMs && !(await ctx.lifetime.sleep(d.chunkDelayMs))) return;
    if (ctx.lifetime.isEnded) return;
    const text = serializeFrame(frames[i], i === d.malformedAt, eol, comments);
    if (d.splitUtf8) await writeMaybeSplit(ctx, text, true);
    else last = write(ctx.res, text);
  }
  ctx.res.end();
}

function jsonBytes(body: string, d: Directives): Buffer {
  const bytes = Buffer.from(body);
  return d.malformedAt === undefined ? bytes : bytes.subarray(0, Math.floor(bytes.length / 2));
}

async function writeJson(ctx: WriteContext, bytes: Buffer, d: Directives): Promise<void> {
  if (d.cutAfter !== undefined || d.stallAfter !== undefined) {
    const half = write(ctx.res, bytes.subarray(0, Math.floor(bytes.length / 2)));
    return d.cutAfter !== undefined ? cut(ctx, half) : stall(ctx);
  }
  if (d.splitUtf8) {
    await writeMaybeSplit(ctx, bytes, true);
    if (!ctx.lifetime.isEnded) ctx.res.end();
    return;
  }
  ctx.res.end(bytes);
}

function applyHeaders(res: ServerResponse, reply: Reply, d: Directives): void {
  res.statusCode = reply.kind === 'json' ? reply.status : 200;
  if (reply.kind === 'json') {
    res.setHeader('content-type', 'application/json');
  } else {
    res.setHeader('content-type', 'text/event-stream; charset=utf-8');
    res.setHeader('cache-control', 'no-cache');
  }
  if (reply.headers) for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
  if (d.retryAfter !== undefined) res.setHeader('retry-after', String(d.retryAfter));
  if (d.retryAfterMs !== undefined) res.setHeader('retry-after-ms', String(d.retryAfterMs));
}

/** Sends the headers now and waits `ttfbMs`; false when the client left meanwhile. */
async function firstByteWait(ctx: WriteContext, d: Directives): Promise<boolean> {
  if (!d.ttfbMs) return true;
  ctx.res.flushHeaders();
  return ctx.lifetime.sleep(d.ttfbMs);
}

/** Sends the reply under the directives; resolves when the mock is done with this request. */
export async function writeReply(ctx: WriteContext, reply: Reply, d: Directives): Promise<void> {
  if (d.hang) {
    ctx.attempt.outcome = 'hang';
    return ctx.lifetime.untilEnd();
  }
  if (d.delayMs && !(await ctx.lifetime.sleep(d.delayMs))) return;
  if (d.reset) {
    ctx.attempt.outcome = 'reset';
    ctx.markSelfClosed();
    ctx.res.socket?.resetAndDestroy();
    return;
  }
  ctx.attempt.outcome = reply.kind === 'json' && reply.status >= 400 ? 'error' : 'ok';
  applyHeaders(ctx.res, reply, d);
  if (reply.kind === 'sse') {
    if (await firstByteWait(ctx, d)) await writeFrames(ctx, reply.frames, d);
    return;
  }
  const bytes = jsonBytes(reply.body, d);
  // Content-Length must be set before a ttfbMs flush sends the headers.
  ctx.res.setHeader('content-length', bytes.length);
  if (await firstByteWait(ctx, d)) await writeJson(ctx, bytes, d);
}
