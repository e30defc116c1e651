/**
 * OpenRouter (openrouter.ai): OpenAI wire format with bearer auth, plus the optional app
 * attribution headers (`HTTP-Referer` from `siteUrl`, `X-Title` from `appName`). Model ids
 * keep their own slash (`anthropic/claude-3.5-sonnet`); the gateway splits only at the first
 * one of `openrouter/anthropic/claude-3.5-sonnet`.
 *
 * Beyond the shared OpenAI-format adapter, it recognises errors OpenRouter reports inside a
 * 200 answer (body or stream), so they never reach the client as a success.
 */
import { z } from 'zod';
import { createOpenAIFormatAdapter } from '../openai-shared/adapter.js';
import { baseSettingsShape } from '../settings.js';
import type { ProviderAdapter } from '../types.js';
import { inBandError, inBandGatewayError, OpenRouterStreamTranslator } from './in-band-error.js';

const schema = z.object({
  type: z.literal('openrouter'),
  ...baseSettingsShape,
  siteUrl: z.url({ protocol: /^https?$/ }).optional(),
  appName: z.string().min(1).optional(),
}).strict();

export type OpenRouterSettings = z.infer<typeof schema>;

const shared = createOpenAIFormatAdapter<OpenRouterSettings>({
  type: 'openrouter',
  settingsSchema: schema,
  defaultBaseUrl: 'https://openrouter.ai/api/v1',
  defaultModels: [
    'openai/gpt-4o-mini',
    'openai/gpt-4o',
    'anthropic/claude-3.5-sonnet',
    'google/gemini-2.0-flash-001',
    'meta-llama/llama-3.1-8b-instruct',
  ],
  authHeaders(settings, key): Record<string, string> {
    const h: Record<string, string> = {};
    if (key) h.authorization = `Bearer ${key}`;
    if (settings.siteUrl) h['http-referer'] = settings.siteUrl;
    if (settings.appName) h['x-title'] = settings.appName;
    return h;
  },
  fromEnv(env): Record<string, OpenRouterSettings> {
    const apiKey = env.OPENROUTER_API_KEY;
    return apiKey ? { openrouter: { type: 'openrouter', apiKey } } : {};
  },
});

export const openrouterAdapter: ProviderAdapter<OpenRouterSettings> = {
  ...shared,
  translateResponse(input, json, options) {
    const error = inBandError(json);
    if (error) throw inBandGatewayError(error);
    return shared.translateResponse(input, json, options);
  },
  streamTranslator(_input, options) {
    return new OpenRouterStreamTranslator(options);
  },
};
