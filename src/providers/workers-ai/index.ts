/**
 * Cloudflare Workers AI adapter. Two upstream APIs are supported, chosen per provider entry
 * with `api`: the native `ai/run/{model}` API (default), whose envelope and stream are
 * translated to OpenAI objects here, and Cloudflare's OpenAI-compatible `ai/v1` API, which is
 * handled by the shared OpenAI-format adapter. Legacy completions always use the run API,
 * since the OpenAI-compatible API has no completions endpoint.
 *
 * Responses are recognised by shape (run envelope vs OpenAI object) because translators are
 * not given the settings; both shapes are unambiguous. Auth is the account's API token as a
 * bearer; the shared `apiKey` field is not accepted (see settings.ts).
 */
import { createOpenAIFormatAdapter, requireOperation } from '../openai-shared/adapter.js';
import type { BuildInput, Operation, ProviderAdapter, WireRequest } from '../types.js';
import { accountAIBase, authHeaders, openAIModeBase, passthroughUrl, runUrl } from './endpoints.js';
import { translateWorkersAIError } from './errors.js';
import { runRequestBody } from './run-request.js';
import { runPassthroughCall } from './passthrough-call.js';
import { openAIPassthroughCall } from '../openai-shared/passthrough-call.js';
import { isRunEnvelope, translateRunResponse } from './run-response.js';
import { WorkersAIStreamTranslator } from './run-stream.js';
import { workersAIFromEnv, workersAISettingsSchema, type WorkersAISettings } from './settings.js';

const OPERATIONS: readonly Operation[] = ['chat', 'completions', 'embeddings'];

const openAIMode = createOpenAIFormatAdapter<WorkersAISettings>({
  type: 'workers-ai',
  settingsSchema: workersAISettingsSchema,
  operations: OPERATIONS,
  defaultModels: [
    '@cf/meta/llama-3.1-8b-instruct',
    '@cf/meta/llama-3.3-70b-instruct-fp8-fast',
    '@cf/mistral/mistral-7b-instruct-v0.1',
    '@cf/baai/bge-base-en-v1.5',
  ],
  authHeaders: (settings, key) => authHeaders(settings, key),
  fromEnv: workersAIFromEnv,
});

function usesOpenAIEndpoint(settings: WorkersAISettings, operation: Operation): boolean {
  return settings.api === 'openai' && operation !== 'completions';
}

function runRequest(settings: WorkersAISettings, input: BuildInput): WireRequest {
  return {
    method: 'POST',
    url: runUrl(settings, input.model),
    headers: { 'content-type': 'application/json', ...settings.headers, ...authHeaders(settings, input.credential) },
    body: runRequestBody(input),
  };
}

export const workersAIAdapter: ProviderAdapter<WorkersAISettings> = {
  ...openAIMode,
  buildRequest(settings, input) {
    requireOperation(OPERATIONS, input.operation);
    if (!usesOpenAIEndpoint(settings, input.operation)) return runRequest(settings, input);
    return openAIMode.buildRequest({ ...settings, baseUrl: openAIModeBase(settings) }, input);
  },
  translateResponse(input, json, options) {
    return isRunEnvelope(json) ? translateRunResponse(input, json, options) : openAIMode.translateResponse(input, json, options);
  },
  streamTranslator(_input, options) {
    return new WorkersAIStreamTranslator(options);
  },
  translateError: translateWorkersAIError,
  passthrough(settings, input) {
    return {
      url: passthroughUrl(settings, input.path),
      headers: { ...input.headers, ...settings.headers, ...authHeaders(settings, input.credential) },
    };
  },
  passthroughCall: (_settings, path, body) => (path.startsWith('/v1/') ? openAIPassthroughCall(path, body) : runPassthroughCall(path, body)),
  probeRequest(settings) {
    // The account's model catalogue (one entry): authenticated, account-scoped, free.
    return { method: 'GET', url: `${accountAIBase(settings)}/models/search?per_page=1`, headers: { ...settings.headers, ...authHeaders(settings, undefined) } };
  },
};

export type { WorkersAISettings };
