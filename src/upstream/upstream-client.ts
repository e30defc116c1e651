/**
 * The one way the gateway talks to providers: a single undici Agent, which keeps one
 * keep-alive pool per upstream origin, driven through `dispatcher.request` (never fetch on
 * the hot path) for answers read as a stream, and through whole-response.ts for answers read
 * whole. It turns transport failures into catalogue errors so the pipeline never sees an
 * undici error code. It does not retry, pick targets or read bodies; callers do.
 */
import { Agent, type Dispatcher } from 'undici';
import { GatewayError } from '../errors/gateway-error.js';
import type { WireRequest } from '../providers/types.js';
import { AbortSwitch } from './abort-switch.js';
import { OPERATOR_POLICY, TARGET_FORBIDDEN, type AddressPolicy } from '../security/address-policy.js';
import { guardedConnector } from '../security/guarded-connect.js';
import type { UpstreamSlots } from './upstream-slots.js';

export interface UpstreamTimeouts {
  connectMs: number;
  firstByteMs: number;
  idleMs: number;
}

export interface UpstreamCall {
  abort: AbortSwitch;
  timeouts: UpstreamTimeouts;
  /** Which addresses the connection may reach; the operator default when absent. */
  addressPolicy?: AddressPolicy;
  /** The provider's cap on calls in flight and waiting; uncapped when absent. */
  slots?: UpstreamSlots;
}

/**
 * A request's call options for one attempt: its own timeouts and the provider's slots. Spelled
 * out rather than `{ ...call, timeouts, slots }`: keys added after a spread took V8's slow
 * define path on every call (about 2 µs in a perf profile), and one shape keeps the loads
 * behind it monomorphic.
 */
export function attemptCall(call: UpstreamCall, timeouts: UpstreamTimeouts, slots: UpstreamSlots | undefined): UpstreamCall {
  return { abort: call.abort, timeouts, addressPolicy: call.addressPolicy, slots };
}

const agents = new Map<string, Agent>();
let lastAgent: { connectMs: number; policy: AddressPolicy; agent: Agent } | undefined;

/**
 * One Agent per connect timeout and address policy; in practice a single shared Agent for the
 * whole process. Its connector applies the SSRF guard to every resolved address. undici's
 * dispatchers never follow redirects (only an explicit redirect interceptor would).
 */
export function agentFor(connectMs: number, policy: AddressPolicy): Agent {
  // Every call asks for the same one: skip building and hashing the key string.
  if (lastAgent !== undefined && connectMs === lastAgent.connectMs && policy === lastAgent.policy) return lastAgent.agent;
  const key = `${connectMs}|${policy.key}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = new Agent({
      connect: guardedConnector(policy, connectMs),
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 600_000,
      connections: 1024,
      pipelining: 1,
    });
    agents.set(key, agent);
  }
  lastAgent = { connectMs, policy, agent };
  return agent;
}

export async function closeUpstreamAgents(): Promise<void> {
  const all = [...agents.values()];
  agents.clear();
  lastAgent = undefined;
  await Promise.all(all.map((a) => a.close().catch(() => a.destroy())));
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function errCode(err: unknown): string | undefined {
  if (err === null || typeof err !== 'object') return undefined;
  const e = err as { code?: unknown; cause?: unknown };
  if (typeof e.code === 'string') return e.code;
  return errCode(e.cause);
}

/** The attempt's first-byte time ran out before the response headers (queue wait included). */
export function headersTimedOut(cause: unknown): GatewayError {
  return new GatewayError('upstream_timeout', { detail: 'The provider sent no response headers in time.', cause });
}

/** Maps a transport-level failure (no HTTP answer, or a broken body) to a catalogue error. */
export function transportError(err: unknown, call: UpstreamCall, phase: 'headers' | 'body'): GatewayError {
  if (err instanceof GatewayError) return err;
  const reason = call.abort.cause;
  if (reason === 'client_closed') return new GatewayError('client_closed', { cause: err });
  if (reason === 'deadline') return new GatewayError('upstream_timeout', { detail: 'The request exceeded its overall deadline.', cause: err });
  const code = errCode(err);
  if (code === TARGET_FORBIDDEN) return new GatewayError('target_forbidden', { cause: err });
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return headersTimedOut(err);
  if (code === 'UND_ERR_BODY_TIMEOUT') return new GatewayError('upstream_timeout', { detail: 'The provider stopped sending data.', cause: err });
  if (code && CONNECT_CODES.has(code)) return new GatewayError('upstream_unreachable', { detail: `The provider could not be reached (${code}).`, cause: err });
  if (phase === 'body') return new GatewayError('upstream_stream_interrupted', { cause: err });
  return new GatewayError('upstream_unreachable', { detail: 'The provider closed the connection before answering.', cause: err });
}

/** Upstream URLs repeat (a few endpoints per provider); parse each once. */
const urlParts = new Map<string, { origin: string; path: string }>();

export function splitUrl(url: string): { origin: string; path: string } {
  let parts = urlParts.get(url);
  if (!parts) {
    const u = new URL(url);
    parts = { origin: u.origin, path: u.pathname + u.search };
    if (urlParts.size > 10_000) urlParts.clear(); // pass-through paths are unbounded
    urlParts.set(url, parts);
  }
  return parts;
}

/**
 * One attempt's abort signal: follows the request's (client gone, overall deadline) and adds
 * the first-byte timer. undici's own headersTimeout runs on coarse timers that fire up to half
 * a second late, which would make short per-attempt timeouts (fallback after 300 ms) useless.
 */
function attemptSignal(call: UpstreamCall): { signal: AbortSwitch; timedOut(): boolean; settle(body?: Dispatcher.ResponseData['body']): void } {
  const signal = new AbortSwitch();
  let fired = false;
  const follow = (): void => signal.abort(call.abort.cause ?? 'client_closed');
  call.abort.once('abort', follow);
  const timer = setTimeout(() => {
    fired = true;
    signal.abort('deadline');
  }, call.timeouts.firstByteMs);
  return {
    signal,
    timedOut: () => fired,
    settle(body) {
      clearTimeout(timer);
      if (body) body.once('close', () => call.abort.removeListener('abort', follow));
      else call.abort.removeListener('abort', follow);
    },
  };
}

/**
 * Sends one attempt. With `call.slots` the attempt first takes a slot of its provider (waiting
 * in its queue counts against the attempt's first-byte time and ends at once on abort) and
 * holds it until the response body closes; a full queue is `provider_queue_full`.
 */
export async function sendUpstream(wire: WireRequest, call: UpstreamCall): Promise<Dispatcher.ResponseData> {
  if (call.abort.aborted) throw transportError(call.abort.reason, call, 'headers');
  const { origin, path } = splitUrl(wire.url);
  const attempt = attemptSignal(call);
  let held: UpstreamSlots | undefined;
  try {
    const slots = call.slots;
    if (slots !== undefined) {
      if (!slots.tryAcquire()) await slots.wait(attempt.signal);
      held = slots;
    }
    const res = await agentFor(call.timeouts.connectMs, call.addressPolicy ?? OPERATOR_POLICY).request({
      origin,
      path,
      method: wire.method,
      headers: wire.headers,
      body: wire.body,
      signal: attempt.signal.asSignal(),
      // Backstop only; the precise first-byte limit is attemptSignal's timer.
      headersTimeout: call.timeouts.firstByteMs + 1000,
      bodyTimeout: call.timeouts.idleMs,
    });
    attempt.settle(res.body);
    // The slot is the provider's work, which lasts until the body is read or dropped.
    if (held !== undefined) res.body.once('close', held.release);
    return res;
  } catch (err) {
    held?.release();
    attempt.settle();
    if (attempt.timedOut() && !call.abort.aborted) {
      throw headersTimedOut(err);
    }
    throw transportError(err, call, 'headers');
  }
}

/** Reads a whole body with a size cap; over the cap is a bad response, not a memory spike. */
export async function readBody(body: Dispatcher.ResponseData['body'], limit: number, call: UpstreamCall, declaredLength?: string | string[]): Promise<Buffer> {
  const declared = typeof declaredLength === 'string' ? Number(declaredLength) : NaN;
  if (declared >= 0 && declared <= limit) {
    // A declared, acceptable length lets undici collect the body without an async iterator.
    try {
      return Buffer.from(await body.arrayBuffer());
    } catch (err) {
      throw transportError(err, call, 'body');
    }
  }
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        body.destroy();
        throw new GatewayError('upstream_bad_response', { detail: 'The provider response exceeds the size limit.' });
      }
      parts.push(chunk as Buffer);
    }
  } catch (err) {
    throw transportError(err, call, 'body');
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts, size);
}
