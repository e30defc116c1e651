/**
 * The contract between the gateway core and a provider adapter.
 *
 * The canonical dialect is OpenAI's: clients speak OpenAI chat/completions/embeddings to us, and
 * every adapter translates that to its provider's wire format and back. Adapters are pure: they
 * build request descriptions and translate bytes/objects, but never perform I/O, read the clock
 * for decisions, or keep state between requests (a stream translator keeps state for one stream
 * only). The same inputs always give the same wire request, so retries are safe.
 *
 * This file deliberately holds no provider names; the registry maps `type` strings to adapters.
 */
import type { z } from 'zod';
import type { SseEvent } from '../upstream/sse-parser.js';
import type { GatewayError } from '../errors/gateway-error.js';

export type Operation = 'chat' | 'completions' | 'embeddings';

/** Settings common to every provider entry in config; adapters extend them. */
export interface BaseProviderSettings {
  type: string;
  baseUrl?: string;
  apiKey?: string;
  /** Extra headers sent on every upstream call (e.g. organization ids). */
  headers?: Record<string, string>;
  /** Models advertised by GET /v1/models for this provider; when set, replaces the adapter defaults. */
  models?: string[];
  /** May receive data marked confidential (e.g. a local model); used by routing. */
  trusted?: boolean;
  /** Active health probe, in milliseconds; absent = no probe. */
  probe?: { interval: number; timeout: number };
  /** Cap on upstream calls in flight, and on calls waiting for one (upstream/provider-slots.ts). */
  maxConcurrent?: number;
  maxQueued?: number;
}

/** Token usage in the gateway's own terms; counts are integers. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens served from the provider's prompt cache (read). */
  cachedInputTokens?: number;
  /** Input tokens written to the provider's prompt cache. */
  cacheWriteTokens?: number;
}

export interface WireRequest {
  /** Adapters build GET/POST; native pass-through keeps the client's method. */
  method: string;
  /** Absolute URL of the upstream endpoint. */
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface BuildInput {
  operation: Operation;
  /** Provider-side model id (the part after `provider/`). */
  model: string;
  /** The parsed, validated client body (OpenAI shape). Never mutated by adapters. */
  body: Record<string, unknown>;
  /** Whether the client asked for a stream. */
  stream: boolean;
  /** A provider key supplied by the client in pass-through auth mode; overrides settings. */
  credential?: string;
}

export interface TranslatedResponse {
  /**
   * The OpenAI-shaped body to send to the client. Absent when the upstream bytes can be
   * forwarded unchanged (`passRaw`), which saves a re-serialization on the hot path.
   */
  body?: Record<string, unknown>;
  passRaw?: boolean;
  usage?: Usage;
  finishReason?: string;
}

/** What one upstream stream event turns into on the client side. */
export interface StreamStep {
  /** SSE `data:` payloads (already serialized) to send to the client, in order. */
  emit?: string[];
  /** Usage learned from this event (the latest one wins). */
  usage?: Usage;
  /** The provider signalled the normal end of the stream. */
  done?: boolean;
  /** The provider signalled an error inside the stream. */
  error?: GatewayError;
}

export interface StreamTranslator {
  push(event: SseEvent): StreamStep;
}

export interface StreamOptions {
  operation: Operation;
  model: string;
  /** The client asked for the usage chunk (`stream_options.include_usage`). */
  clientWantsUsage: boolean;
  /** Id to use for synthesized chunks when the provider's own id cannot be used. */
  requestId: string;
  /** Creation time (unix seconds) for synthesized chunks; passed in to keep adapters pure. */
  created: number;
}

export interface UpstreamFailure {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bodyText: string;
}

export interface PassthroughInput {
  /** Path after the provider segment, starting with `/`, including the query string. */
  path: string;
  /** Client headers already stripped of hop-by-hop and client credentials in managed mode. */
  headers: Record<string, string>;
  credential?: string;
}

/**
 * What a native pass-through call is, read from its path and JSON body, so the gateway can
 * guard and meter it. Only calls the adapter recognises as billable model calls get one.
 */
export interface PassthroughCall {
  /** The OpenAI-compatible operation it corresponds to (for input bounds and estimates). */
  operation: Operation;
  /** Provider-side model id as the price catalogue names it. */
  model: string;
  /** The output cap the client set, in whatever field the native API uses. */
  maxOutputTokens: number | undefined;
  /** The client asked for a stream. */
  stream: boolean;
  /**
   * The body as the gateway's OpenAI-shaped input bound and token estimate should read it, when
   * the native API puts input where an OpenAI body would not (a top-level system prompt, an
   * embedding's `text`); absent when the native body already reads right. Never sent anywhere.
   */
  estimateBody?: Record<string, unknown>;
  /**
   * How to read usage from the answer when it is not in the shape the adapter's own
   * translateResponse / streamTranslator read (a native API with its own answer format, such
   * as a typed-event stream); absent when the adapter's translators read it.
   */
  answer?: NativeAnswerReader;
}

/** Reads usage from a native answer whose format the adapter's translators do not speak. */
export interface NativeAnswerReader {
  /** Usage of a complete JSON answer, if it carries one. */
  usageOf(json: unknown): Usage | undefined;
  /**
   * A translator for one stream of this API, used only for metering: its steps carry usage,
   * the provider's terminal event as `done`, and, as `emit`, OpenAI chat-chunk payloads with
   * the text produced so far, from which a cut stream is estimated. Nothing it emits is sent.
   */
  streamTranslator(options: StreamOptions): StreamTranslator;
}

export interface ProviderAdapter<S extends BaseProviderSettings = BaseProviderSettings> {
  readonly type: string;
  /** zod schema of this type's config entry (strict); `type` is a literal. */
  readonly settingsSchema: z.ZodType<S>;
  readonly operations: readonly Operation[];
  /** Models listed by /v1/models when the config names none. */
  readonly defaultModels: readonly string[];
  /**
   * Provider entries to create when no config file is given, from environment variables.
   * Returns a map of provider name to settings (usually zero or one entry).
   */
  fromEnv(env: Readonly<Record<string, string | undefined>>): Record<string, S>;
  /** Throws a GatewayError (`operation_not_supported`, `invalid_request`) for unsupported asks. */
  buildRequest(settings: S, input: BuildInput): WireRequest;
  translateResponse(input: BuildInput, json: unknown, options: StreamOptions): TranslatedResponse;
  streamTranslator(input: BuildInput, options: StreamOptions): StreamTranslator;
  /** Maps a non-2xx upstream answer to a GatewayError with the right retryability. */
  translateError(failure: UpstreamFailure): GatewayError;
  /** Native pass-through: where to send `/{provider}/path` and with which auth headers. */
  passthrough(settings: S, input: PassthroughInput): { url: string; headers: Record<string, string> };
  /**
   * Native pass-through metering: the model call a native path and body make, or undefined for
   * paths this adapter cannot price (model lists, files, token counting…). The native answer is
   * then read with `translateResponse` / `streamTranslator` given the same model and operation,
   * so usage parsing stays in one place per provider.
   */
  passthroughCall(settings: S, path: string, body: Readonly<Record<string, unknown>>): PassthroughCall | undefined;

  /**
   * The active health probe's request: light and free for the provider (a model list), GET,
   * no body, with the configured credentials. Pure like buildRequest; the prober sends it.
   */
  probeRequest(settings: S): WireRequest;
}
