/**
 * Watches a native pass-through answer on its way to the client and learns its usage, without
 * touching a byte of it: every chunk is first written to the client, then shown to the meter.
 * A stream (SSE) is parsed incrementally and each event is handed to the adapter's own stream
 * translator, whose usage and text (for estimates) are kept; a JSON answer is buffered up to a
 * bound and read with the adapter's `translateResponse` once complete. A call whose native API
 * answers in another format (the Responses API) brings its own reader, used instead of the
 * adapter's translators. Nothing is translated for the client; the translators are used only
 * as the one place usage parsing lives.
 *
 * It deliberately never throws into the relay: a body it cannot read (too large, compressed
 * stream, malformed) simply leaves usage unread, and settling estimates it as for any provider
 * that omits usage. Only successful (2xx) answers are observed.
 */
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { RequestContext } from '../pipeline/context.js';
import type { BuildInput, NativeAnswerReader, ProviderAdapter, StreamOptions, StreamTranslator } from '../providers/types.js';
import { SseParser } from '../upstream/sse-parser.js';

/** JSON answers larger than this are not parsed (embeddings of huge batches). */
const MAX_JSON_BYTES = 8 * 1024 * 1024;
/** One SSE event larger than this stops stream metering (providers send small events). */
const MAX_EVENT_BYTES = 1024 * 1024;
/** Delivered stream text kept for an estimate; beyond it the estimate undercounts. */
const MAX_DELIVERED_CHARS = 4 * 1024 * 1024;

type Headers = Record<string, string | string[] | undefined>;

function headerOf(headers: Headers, name: string): string {
  const v = headers[name];
  return (Array.isArray(v) ? v[0] : v ?? '').toLowerCase();
}

function decompress(body: Buffer, encoding: string): Buffer | undefined {
  const opts = { maxOutputLength: MAX_JSON_BYTES };
  switch (encoding) {
    case '': case 'identity': return body;
    case 'gzip': case 'x-gzip': return gunzipSync(body, opts);
    case 'deflate': return inflateSync(body, opts);
    case 'br': return brotliDecompressSync(body, opts);
    default: return undefined;
  }
}

export class PassthroughMeter {
  private sse: SseParser | undefined;
  private translator: StreamTranslator | undefined;
  private json: Buffer[] | undefined;
  private jsonBytes = 0;
  private deliveredChars = 0;
  private done = false;
  private readonly encoding: string;
  private readonly options: StreamOptions;

  constructor(
    private readonly ctx: RequestContext,
    private readonly adapter: ProviderAdapter,
    private readonly input: BuildInput,
    status: number,
    headers: Headers,
    private readonly answer?: NativeAnswerReader,
  ) {
    this.encoding = headerOf(headers, 'content-encoding');
    this.options = { operation: input.operation, model: input.model, clientWantsUsage: false, requestId: ctx.id, created: Math.floor(ctx.receivedAt / 1000) };
    if (status < 200 || status > 299) return;
    const type = headerOf(headers, 'content-type');
    if (type.includes('text/event-stream')) {
      ctx.stream = true;
      // A compressed stream cannot be parsed without inflating it; it is estimated instead.
      if (this.encoding === '' || this.encoding === 'identity') {
        this.sse = new SseParser(MAX_EVENT_BYTES);
        this.translator = answer ? answer.streamTranslator(this.options) : adapter.streamTranslator(input, this.options);
      }
    } else if (type.includes('json')) {
      this.json = [];
    }
  }

  /** Sees one chunk the client was just sent. */
  observe(chunk: Buffer): void {
    if (this.sse) this.observeStream(chunk);
    else if (this.json) {
      this.jsonBytes += chunk.length;
      if (this.jsonBytes <= MAX_JSON_BYTES) this.json.push(chunk);
      else this.json = undefined;
    }
  }

  private observeStream(chunk: Buffer): void {
    try {
      for (const event of this.sse!.push(chunk)) {
        const step = this.translator!.push(event);
        if (step.usage) this.ctx.usage = step.usage;
        if (step.done) this.done = true;
        for (const payload of step.emit ?? []) {
          if (this.deliveredChars > MAX_DELIVERED_CHARS) break;
          this.deliveredChars += payload.length;
          this.ctx.delivered.push(payload);
        }
      }
    } catch {
      this.sse = undefined; // oversized event or an unreadable one: stop metering, keep relaying
    }
  }

  /**
   * The answer ended (`complete`) or broke off. A stream that stopped before the provider's end
   * marker is partial: what it delivered is billed, estimated where usage is missing.
   */
  finish(complete: boolean): void {
    if (this.ctx.stream) {
      if (!complete && !this.done) this.ctx.partial = this.ctx.delivered.length > 0 || this.ctx.usage !== undefined;
      return;
    }
    if (!complete || !this.json) return;
    try {
      const body = decompress(Buffer.concat(this.json, Math.min(this.jsonBytes, MAX_JSON_BYTES)), this.encoding);
      if (!body) return;
      const json: unknown = JSON.parse(body.toString('utf8'));
      const usage = this.answer ? this.answer.usageOf(json) : this.adapter.translateResponse(this.input, json, this.options).usage;
      if (usage) this.ctx.usage = usage;
    } catch {
      // Not the JSON the adapter knows (or an in-band error): usage stays unread.
    }
  }
}
