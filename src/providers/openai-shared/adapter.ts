/**
 * Builds a complete adapter for providers that speak the OpenAI wire format (OpenAI itself,
 * OpenRouter, vLLM/Ollama and other compatible servers). Each such provider supplies only what
 * differs: its schema, default base URL, auth headers, env defaults and default models.
 * Responses are forwarded as the provider's own bytes; only usage is read from them.
 */
import { GatewayError } from '../../errors/gateway-error.js';
import type {
  BaseProviderSettings, BuildInput, Operation, ProviderAdapter, WireRequest,
} from '../types.js';
import type { z } from 'zod';
import { joinUrl } from '../settings.js';
import { translateOpenAIError } from './errors.js';
import { openAIRequestBody } from './request-body.js';
import { openAIPassthroughCall } from './passthrough-call.js';
import { OpenAIStreamTranslator } from './stream.js';
import { usageFromOpenAI } from './usage.js';

export interface OpenAIFormatSpec<S extends BaseProviderSettings> {
  type: string;
  settingsSchema: z.ZodType<S>;
  /** Base URL including the version segment, e.g. `https://host/v1`; undefined = required. */
  defaultBaseUrl?: string;
  defaultModels?: readonly string[];
  operations?: readonly Operation[];
  /** Auth and fixed headers for a call with the given key (may be undefined: keyless servers). */
  authHeaders(settings: S, key: string | undefined): Record<string, string>;
  fromEnv(env: Readonly<Record<string, string | undefined>>): Record<string, S>;
}

export const OPERATION_PATHS: Record<Operation, string> = {
  chat: '/chat/completions',
  completions: '/completions',
  embeddings: '/embeddings',
};

export function baseUrlOf(settings: BaseProviderSettings, fallback: string | undefined, type: string): string {
  const base = settings.baseUrl ?? fallback;
  if (!base) throw new GatewayError('invalid_request', { detail: `Provider of type ${type} has no baseUrl configured.` });
  return base;
}

export function requireOperation(operations: readonly Operation[], op: Operation): void {
  if (!operations.includes(op)) throw new GatewayError('operation_not_supported');
}

export function createOpenAIFormatAdapter<S extends BaseProviderSettings>(spec: OpenAIFormatSpec<S>): ProviderAdapter<S> {
  const operations = spec.operations ?? (['chat', 'completions', 'embeddings'] as const);
  const headersFor = (settings: S, credential: string | undefined): Record<string, string> => ({
    ...settings.headers,
    ...spec.authHeaders(settings, credential ?? settings.apiKey),
  });
  // The call headers of each settings object with its own key (settings are replaced, not
  // edited, on reload). Rebuilding them per request cost two spreads and a fresh `Bearer …`
  // string, which the HTTP client's header check then had to flatten. A client's credential
  // (pass-through) is never kept. Each call gets a copy: tracing adds `traceparent` to it.
  const ownHeaders = new WeakMap<S, Readonly<Record<string, string>>>();
  const chatHeaders = (settings: S, credential: string | undefined): Record<string, string> => {
    if (credential !== undefined) return { 'content-type': 'application/json', ...headersFor(settings, credential) };
    let headers = ownHeaders.get(settings);
    if (headers === undefined) {
      headers = Object.freeze({ 'content-type': 'application/json', ...headersFor(settings, undefined) });
      ownHeaders.set(settings, headers);
    }
    return { ...headers };
  };
  return {
    type: spec.type,
    settingsSchema: spec.settingsSchema,
    operations,
    defaultModels: spec.defaultModels ?? [],
    fromEnv: spec.fromEnv,
    buildRequest(settings: S, input: BuildInput): WireRequest {
      requireOperation(operations, input.operation);
      const base = baseUrlOf(settings, spec.defaultBaseUrl, spec.type);
      return {
        method: 'POST',
        url: joinUrl(base, OPERATION_PATHS[input.operation]),
        headers: chatHeaders(settings, input.credential),
        body: openAIRequestBody(input),
      };
    },
    translateResponse(_input, json) {
      const obj = json as Record<string, unknown>;
      const choices = obj.choices as Array<Record<string, unknown>> | undefined;
      const finish = Array.isArray(choices) && choices[0] ? choices[0].finish_reason : undefined;
      return {
        passRaw: true,
        usage: usageFromOpenAI(obj.usage),
        finishReason: typeof finish === 'string' ? finish : undefined,
      };
    },
    streamTranslator(_input, options) {
      return new OpenAIStreamTranslator(options);
    },
    translateError: translateOpenAIError,
    passthrough(settings, input) {
      const base = baseUrlOf(settings, spec.defaultBaseUrl, spec.type);
      return { url: joinUrl(base, input.path), headers: { ...input.headers, ...headersFor(settings, input.credential) } };
    },
    passthroughCall: (_settings, path, body) => openAIPassthroughCall(path, body),
    probeRequest(settings) {
      // GET /models: served by OpenAI, OpenRouter, vLLM, Ollama and most compatible servers; free.
      return { method: 'GET', url: joinUrl(baseUrlOf(settings, spec.defaultBaseUrl, spec.type), '/models'), headers: headersFor(settings, undefined) };
    },
  };
}
