/**
 * An upstream call whose answer is read whole: non-streamed chat, completions and embeddings,
 * nearly all of a gateway's calls. It drives the shared agent with `dispatch` and a handler
 * that collects the body's chunks itself, so a call creates no Readable body stream, no async
 * resource and none of the stream's ticks that `dispatcher.request` costs per call (streams and
 * pass-through keep using that, since they relay as they read).
 *
 * Same contract as `sendUpstream` plus `readBody`: the provider's slot is held until the body is
 * read, the first-byte timer runs until the response headers, the client's abort ends the call
 * at any point, a body over its limit is `upstream_bad_response`, and every transport failure
 * becomes a catalogue error through `transportError`. It does not interpret status or body.
 */
import type { Dispatcher } from 'undici';
import { GatewayError } from '../errors/gateway-error.js';
import type { WireRequest } from '../providers/types.js';
import { OPERATOR_POLICY } from '../security/address-policy.js';
import { AbortSwitch } from './abort-switch.js';
import { agentFor, headersTimedOut, splitUrl, transportError, type UpstreamCall } from './upstream-client.js';

type IncomingHttpHeaders = Dispatcher.ResponseData['headers'];

export interface WholeResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Body size caps: a success answer's, and an error answer's (only its message is needed). */
export interface WholeLimits {
  okBytes: number;
  errorBytes: number;
}

const TOO_LARGE = 'The provider response exceeds the size limit.';

class WholeHandler implements Dispatcher.DispatchHandler {
  statusCode = 0;
  headers: IncomingHttpHeaders = {};
  /** Response headers arrived: later failures are failures of the body. */
  started = false;
  private controller: Dispatcher.DispatchController | undefined;
  private pendingAbort: Error | undefined;
  private parts: Buffer[] = [];
  private size = 0;
  private limit = 0;

  constructor(private readonly limits: WholeLimits, private readonly done: (err: Error | undefined, body?: Buffer) => void) {}

  /** Aborts the call now, or as soon as undici starts it if it still waits for a connection. */
  abort(reason: Error): void {
    if (this.controller) this.controller.abort(reason);
    else this.pendingAbort ??= reason;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    // A request retried on a fresh socket before any answer starts again from nothing.
    this.controller = controller;
    this.parts = [];
    this.size = 0;
    if (this.pendingAbort) controller.abort(this.pendingAbort);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    this.statusCode = statusCode;
    this.headers = headers;
    this.started = true;
    this.onStarted();
    this.limit = statusCode >= 200 && statusCode < 300 ? this.limits.okBytes : this.limits.errorBytes;
    const declared = Number(headers['content-length']);
    if (declared > this.limit) controller.abort(new GatewayError('upstream_bad_response', { detail: TOO_LARGE }));
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > this.limit) {
      controller.abort(new GatewayError('upstream_bad_response', { detail: TOO_LARGE }));
      return;
    }
    this.parts.push(chunk);
  }

  onResponseEnd(): void {
    const { parts, size } = this;
    this.parts = [];
    this.done(undefined, parts.length === 1 ? parts[0] : Buffer.concat(parts, size));
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    this.parts = [];
    this.done(err);
  }

  /** Set by `fetchWhole`: the first-byte timer stops when the headers arrive. */
  onStarted: () => void = () => undefined;
}

/**
 * Takes the provider's slot: at once when one is free (no promise), else waits, bounded by the
 * first-byte deadline and the client's abort.
 */
function takeSlot(call: UpstreamCall, firstByteBy: number): void | Promise<void> {
  const slots = call.slots;
  if (slots === undefined || slots.tryAcquire()) return;
  return waitForSlot(call, slots, firstByteBy);
}

async function waitForSlot(call: UpstreamCall, slots: NonNullable<UpstreamCall['slots']>, firstByteBy: number): Promise<void> {
  const signal = new AbortSwitch();
  const follow = (): void => signal.abort(call.abort.cause ?? 'client_closed');
  call.abort.once('abort', follow);
  const timer = setTimeout(() => signal.abort('deadline'), firstByteBy - performance.now());
  try {
    await slots.wait(signal);
  } catch (err) {
    if (signal.cause === 'deadline' && !call.abort.aborted) {
      throw headersTimedOut(err);
    }
    throw transportError(err, call, 'headers');
  } finally {
    clearTimeout(timer);
    call.abort.removeListener('abort', follow);
  }
}

/**
 * Not an async function: returning the dispatch's promise from one would cost every call two
 * extra microtask turns to adopt it. A throw before the dispatch still arrives as a rejection.
 */
export function fetchWhole(wire: WireRequest, call: UpstreamCall, limits: WholeLimits): Promise<WholeResponse> {
  try {
    if (call.abort.aborted) throw transportError(call.abort.reason, call, 'headers');
    // One first-byte deadline for the attempt: waiting in the provider's queue counts against it.
    const firstByteBy = performance.now() + call.timeouts.firstByteMs;
    const waiting = takeSlot(call, firstByteBy);
    if (waiting === undefined) return dispatchWhole(wire, call, limits, firstByteBy);
    return waiting.then(() => {
      if (call.abort.aborted) {
        call.slots?.release();
        throw transportError(call.abort.reason, call, 'headers');
      }
      return dispatchWhole(wire, call, limits, firstByteBy);
    });
  } catch (err) {
    return Promise.reject(err);
  }
}

/** Sends the request with the slot held; the promise settles once, when the call ends. */
function dispatchWhole(wire: WireRequest, call: UpstreamCall, limits: WholeLimits, firstByteBy: number): Promise<WholeResponse> {
  const { origin, path } = splitUrl(wire.url);
  return new Promise<WholeResponse>((resolve, reject) => {
    let timedOut = false;
    let settled = false;
    const finish = (err: Error | undefined, body?: Buffer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      call.abort.removeListener('abort', follow);
      call.slots?.release();
      if (err === undefined) {
        resolve({ statusCode: handler.statusCode, headers: handler.headers, body: body! });
      } else if (timedOut && !handler.started && !call.abort.aborted) {
        reject(headersTimedOut(err));
      } else {
        reject(transportError(err, call, handler.started ? 'body' : 'headers'));
      }
    };
    const handler = new WholeHandler(limits, finish);
    const follow = (): void => handler.abort(call.abort.reason ?? new Error('aborted'));
    call.abort.once('abort', follow);
    // undici's own headersTimeout fires on coarse timers, up to half a second late.
    const timer = setTimeout(() => {
      timedOut = true;
      handler.abort(new Error('first byte deadline'));
    }, Math.max(0, firstByteBy - performance.now()));
    handler.onStarted = () => clearTimeout(timer);
    try {
      agentFor(call.timeouts.connectMs, call.addressPolicy ?? OPERATOR_POLICY).dispatch({
        origin,
        path,
        method: wire.method as Dispatcher.HttpMethod,
        headers: wire.headers,
        body: wire.body,
        // Backstop only; the precise first-byte limit is the timer above.
        headersTimeout: call.timeouts.firstByteMs + 1000,
        bodyTimeout: call.timeouts.idleMs,
      }, handler);
    } catch (err) {
      finish(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
