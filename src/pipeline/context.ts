/**
 * RequestContext: the one object every pipeline stage reads and writes. It is created at the
 * edge with the config generation current at that moment, so a hot reload never changes the
 * rules under a request that already started. Stages add facts as they learn them; the final
 * outcome fields feed metering (one UsageEvent per request).
 *
 * It deliberately holds no framework objects beyond node's request/response.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RuntimeConfig, RuntimeProvider } from '../config/compile.js';
import type { Operation, Usage } from '../providers/types.js';
import type { GatewayError } from '../errors/gateway-error.js';
import type { UpstreamCall } from '../upstream/upstream-client.js';
import type { AbortSwitch } from '../upstream/abort-switch.js';
import type { RequestLabels } from '../metering/request-labels.js';
import type { ResilienceRuntime } from '../resilience/resilience-runtime.js';
import type { TargetCondition } from '../resilience/target-condition.js';
import type { CacheStatus, Endpoint } from '../metering/usage-event.js';
import type { CacheRuntime } from '../cache/cache-runtime.js';
import type { CachePending } from '../cache/cache-tap.js';
import type { RequestTrace } from '../observability/tracing/request-trace.js';
import type { KeyRecord } from '../guards/guard-policy.js';
import type { GuardTicket } from '../guards/guard-runtime.js';
import type { RateHeaders } from '../guards/ratelimit-headers.js';

export interface ResolvedTarget {
  /** `provider/model`: the key for breakers and trackers. */
  id: string;
  providerTrusted: boolean;
  weight: number;
  when: TargetCondition | undefined;
  provider: RuntimeProvider;
  model: string;
  params: Readonly<Record<string, unknown>> | undefined;
}

export interface RequestContext {
  readonly id: string;
  /** performance.now() at arrival; latency figures are relative to it. */
  readonly startedAt: number;
  /** Wall-clock arrival, epoch ms (the UsageEvent's time). */
  readonly receivedAt: number;
  readonly config: RuntimeConfig;
  /** Fixed by the route; native pass-through learns it from the call (adapter passthroughCall). */
  operation: Operation;
  /** What the client called: an OpenAI-compatible operation, or native pass-through. */
  readonly endpoint: Endpoint;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly rawBody: Buffer | undefined;
  readonly abort: AbortSwitch;
  readonly call: UpstreamCall;
  /** Breakers, trackers and the retry budget shared by all requests of this process. */
  readonly shared: ResilienceRuntime;
  /** Parsed, validated client body. */
  body: Record<string, unknown>;
  stream: boolean;
  /** Provider key sent by the client, used only in pass-through auth mode. */
  credential: string | undefined;
  /** The name the client asked for (`provider/model` or a route alias). */
  requestedModel: string;
  routeAlias: string | undefined;
  targets: ResolvedTarget[];
  target: ResolvedTarget | undefined;
  attempts: number;
  /**
   * The open upstream answer: a stream's body to relay, or a non-streamed answer already read
   * whole (`raw`, see whole-response.ts).
   */
  upstream: { status: number; headers: Record<string, string | string[] | undefined>; body?: import('undici').Dispatcher.ResponseData['body']; raw?: Buffer } | undefined;
  /** Operation, user, metadata and logging choice from the client's headers. */
  labels: RequestLabels;
  tenant: string | null;
  keyId: string | null;
  cacheStatus: CacheStatus | null;
  /** The process's response cache; undefined where none was given (some unit tests). */
  cacheRuntime: CacheRuntime | undefined;
  /** Set by the cache stage on a storable miss; the upstream stage's tap stores the answer. */
  cachePending: CachePending | undefined;
  /** A stage already wrote the whole answer (a cache hit): the remaining stages are skipped. */
  answered: boolean;
  fallbackIndex: number;
  // Outcome, filled as the request completes.
  status: number;
  usage: Usage | undefined;
  firstByteAt: number | undefined;
  error: GatewayError | undefined;
  partial: boolean;
  finishReason: string | undefined;
  /** Usage was estimated with a tokenizer (the provider sent none). */
  estimated: boolean;
  costMicros: number | null;
  savedMicros: number;
  neurons: number | null;
  /**
   * Stream payloads sent to the client (references, not copies), kept so a stream that ends
   * without provider usage can be billed for what it actually delivered.
   */
  delivered: string[];
  /**
   * The answer body sent to the client, kept (a reference) only when the request's payload is
   * logged (a tenant opted in); the usage event masks it.
   */
  responseText: string | undefined;
  /**
   * Cost of calls the gateway made for this request besides its answer (the semantic cache's
   * embedding call), added to `costMicros` at finish; null once such a call had no known price.
   */
  auxCostMicros: number | null;
  /** Attempts that failed (provider, upstream status or 0), for per-attempt metrics; undefined until one fails. */
  failedAttempts: Array<{ provider: string; status: number }> | undefined;
  /** The request's spans when tracing is on; undefined otherwise (hooks are `ctx.trace?.…`). */
  trace: RequestTrace | undefined;
  /*
   * The guards' per-request state, owned by src/guards/ (authenticate-key.ts, guard-stage.ts).
   * Plain fields rather than side tables keyed by the context: WeakMap entries cost a write
   * barrier on every set and ephemeron work in every scavenge, on every guarded request.
   */
  /** The Tollgate key the request authenticated with; undefined on an open gateway. */
  guardKey: KeyRecord | undefined;
  /** The reservations to settle at finish; undefined when nothing was reserved. */
  guardTicket: GuardTicket | undefined;
  /** RateLimit headers for the success answer; undefined when no rate limit applied. */
  rateHeaders: RateHeaders | undefined;
}
