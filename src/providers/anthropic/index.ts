/**
 * The Anthropic provider adapter: OpenAI chat requests are translated to the Messages API
 * (`POST {baseUrl}/v1/messages`, `x-api-key` + `anthropic-version` auth) and its answers,
 * streams and errors back into OpenAI shapes. Only chat exists there; legacy completions and
 * embeddings are refused with `operation_not_supported` rather than emulated.
 *
 * The translation itself lives in the sibling modules; this file wires them to the contract.
 */
import { GatewayError } from '../../errors/gateway-error.js';
import { joinUrl } from '../settings.js';
import { callFor, pathOnly } from '../passthrough-call.js';
import type { BuildInput, Operation, ProviderAdapter, WireRequest } from '../types.js';
import { translateAnthropicError } from './errors.js';
import { messagesRequestBody } from './request.js';
import { chatCompletionFrom } from './response.js';
import {
  anthropicFromEnv, anthropicSettingsSchema, DEFAULT_BASE_URL, DEFAULT_MAX_TOKENS, DEFAULT_VERSION,
  type AnthropicSettings,
} from './settings.js';
import { AnthropicStreamTranslator } from './stream.js';

export type { AnthropicSettings } from './settings.js';

const MESSAGES_PATH = '/v1/messages';
const OPERATIONS: readonly Operation[] = ['chat'];

function hasHeader(headers: Readonly<Record<string, string>>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

/**
 * Configured extra headers, then the key (a client's pass-through credential wins over the
 * configured one) and the API version unless `headers` already names one. Without any key the
 * header is omitted, so keyless test servers work and the provider answers 401 otherwise.
 */
function authHeaders(settings: AnthropicSettings, credential: string | undefined, headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { ...headers, ...settings.headers };
  const key = credential ?? settings.apiKey;
  if (key) {
    for (const k of Object.keys(out)) if (k.toLowerCase() === 'x-api-key') delete out[k];
    out['x-api-key'] = key;
  }
  if (!hasHeader(out, 'anthropic-version')) out['anthropic-version'] = settings.version ?? DEFAULT_VERSION;
  return out;
}

export const anthropicAdapter: ProviderAdapter<AnthropicSettings> = {
  type: 'anthropic',
  settingsSchema: anthropicSettingsSchema,
  operations: OPERATIONS,
  defaultModels: ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-5', 'claude-opus-4-1'],
  fromEnv: anthropicFromEnv,
  buildRequest(settings: AnthropicSettings, input: BuildInput): WireRequest {
    if (!OPERATIONS.includes(input.operation)) throw new GatewayError('operation_not_supported');
    const body = messagesRequestBody(input, settings.defaultMaxTokens ?? DEFAULT_MAX_TOKENS);
    return {
      method: 'POST',
      url: joinUrl(settings.baseUrl ?? DEFAULT_BASE_URL, MESSAGES_PATH),
      headers: authHeaders(settings, input.credential, { 'content-type': 'application/json' }),
      body: JSON.stringify(body),
    };
  },
  translateResponse: (input, json, options) => chatCompletionFrom(json, input, options),
  streamTranslator: (input, options) => new AnthropicStreamTranslator(input, options),
  translateError: translateAnthropicError,
  passthrough(settings, input) {
    return {
      url: joinUrl(settings.baseUrl ?? DEFAULT_BASE_URL, input.path),
      headers: authHeaders(settings, input.credential, input.headers),
    };
  },
  // Only Messages calls are billable (count_tokens, model lists and batches are not metered).
  passthroughCall(_settings, path, body) {
    if (pathOnly(path) !== MESSAGES_PATH) return undefined;
    const call = callFor('chat', body);
    // The system prompt is input too: it counts toward the worst case and any estimate.
    if (call && body.system !== undefined) {
      const messages = Array.isArray(body.messages) ? body.messages : [];
      call.estimateBody = { ...body, messages: [{ role: 'system', content: body.system }, ...messages] };
    }
    return call;
  },
  probeRequest(settings) {
    // The model list: authenticated like a real call, costs no tokens.
    return { method: 'GET', url: joinUrl(settings.baseUrl ?? DEFAULT_BASE_URL, '/v1/models?limit=1'), headers: authHeaders(settings, undefined, {}) };
  },
};
