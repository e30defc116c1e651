/**
 * Relays an upstream event stream to the client as OpenAI chat/completion chunks, as each
 * upstream chunk arrives (no buffering beyond one network read). The adapter's translator
 * maps events and taps usage; this module owns the honesty rules: `[DONE]` is sent only after
 * the provider's own terminal event, a stream that breaks or stops early ends with an SSE
 * error event instead, and a failure before the first event becomes a normal HTTP error.
 */
import { GatewayError } from '../../errors/gateway-error.js';
import { SSE_DONE, SseWriter, sseData, sseError } from '../../http/response-writer.js';
import type { StreamTranslator } from '../../providers/types.js';
import { SseParser, type SseEvent } from '../../upstream/sse-parser.js';
import { transportError } from '../../upstream/upstream-client.js';
import type { RequestContext } from '../context.js';
import { buildInput, streamOptions } from './call-upstream.js';
import { successHeaders } from './success-headers.js';
import { tapStreamAnswer } from '../../cache/cache-tap.js';

interface RelayState {
  done: boolean;
}

/** Translates a batch of events into SSE text; throws the provider's in-stream error. */
function translate(ctx: RequestContext, translator: StreamTranslator, events: SseEvent[], state: RelayState): string {
  let out = '';
  for (const event of events) {
    if (state.done) break;
    const step = translator.push(event);
    if (step.usage) ctx.usage = step.usage;
    if (step.emit) {
      for (const payload of step.emit) {
        out += sseData(payload);
        ctx.delivered.push(payload);
      }
    }
    if (step.error) {
      ctx.partial = out.length > 0;
      throw step.error;
    }
    if (step.done) state.done = true;
  }
  return out;
}

/** A body that closed without its end or an error (undici destroyed it): what `for await` would throw. */
function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

/**
 * Reads the body with plain events, not `for await`: the async iterator's setup and its
 * promise per read cost measurably per stream. The chunks of one socket read (several SSE
 * events, each its own HTTP chunk) are translated together and written to the client once, as
 * the iterator's `read()` would hand them over. A slow client pauses the body until it drains.
 */
function pump(ctx: RequestContext, writer: SseWriter, translator: StreamTranslator, state: RelayState): Promise<void> {
  const parser = new SseParser();
  const body = ctx.upstream!.body!;
  return new Promise((resolve, reject) => {
    let settled = false;
    let pending: Buffer[] = [];
    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      body.off('data', onData).off('end', onEnd).off('error', finish).off('close', onClose);
      if (err === undefined) resolve();
      else reject(err);
    };
    /** Translates and writes what arrived since the last flush; false once the request is over. */
    const flush = (): boolean => {
      const chunks = pending;
      pending = [];
      if (settled || state.done) return !settled;
      try {
        let text = '';
        for (const chunk of chunks) text += translate(ctx, translator, parser.push(chunk), state);
        if (text.length > 0) ctx.firstByteAt ??= performance.now();
        // The terminal event usually shares a read with the last events: one write for both.
        if (state.done) writer.end(text + SSE_DONE);
        else if (text.length > 0 && !writer.write(text)) {
          body.pause();
          void writer.drained().then(() => body.resume());
        }
        return true;
      } catch (err) {
        finish(err);
        return false;
      }
    };
    const onData = (chunk: Buffer): void => {
      if (state.done || settled) return; // drain what follows the terminal event so the socket can be reused
      if (pending.push(chunk) === 1) queueMicrotask(flush);
    };
    const onEnd = (): void => {
      if (!flush()) return;
      if (state.done) return finish();
      try {
        const text = translate(ctx, translator, parser.end().events, state);
        if (state.done) {
          writer.end(text + SSE_DONE);
          return finish();
        }
        if (text.length > 0) writer.write(text);
        finish(new GatewayError('upstream_stream_interrupted', { detail: 'The provider stream ended without its terminal event.' }));
      } catch (err) {
        finish(err);
      }
    };
    const onClose = (): void => finish(body.errored ?? prematureClose());
    body.on('data', onData).once('end', onEnd).once('error', finish).once('close', onClose);
  });
}

export async function relayStream(ctx: RequestContext, clientWantsUsage: boolean): Promise<void> {
  const target = ctx.target!;
  const translator = target.provider.adapter.streamTranslator(
    buildInput(ctx, target),
    streamOptions(ctx, target, clientWantsUsage),
  );
  const writer = new SseWriter(ctx.res, successHeaders(ctx));
  const state: RelayState = { done: false };
  try {
    await pump(ctx, writer, translator, state);
    ctx.status = 200;
    tapStreamAnswer(ctx);
  } catch (err) {
    const gerr = transportError(err, ctx.call, 'body');
    ctx.upstream!.body?.destroy();
    if (state.done) return; // the client already has its complete answer
    if (writer.hasStarted) ctx.partial = true;
    if (!writer.hasStarted || gerr.code === 'client_closed') throw gerr;
    ctx.partial = true;
    ctx.error = gerr;
    ctx.status = 200;
    writer.end(sseError(gerr, ctx.id));
  }
}
