/**
 * Any server that speaks the OpenAI wire format: vLLM, Ollama, LM Studio, llama.cpp, Groq,
 * Together, Mistral and the like. `baseUrl` (including the version segment, e.g.
 * `http://127.0.0.1:8000/v1`) is required because there is no sensible default host; the key
 * is optional because local servers often need none.
 *
 * `streamUsage: false` stops the gateway from adding `stream_options.include_usage` to streams,
 * for servers that reject unknown fields; such streams are then metered by estimate. Without
 * a config file, `OPENAI_COMPATIBLE_BASE_URL` creates a provider named `local`.
 */
import { z } from 'zod';
import { createOpenAIFormatAdapter } from '../openai-shared/adapter.js';
import { baseSettingsShape } from '../settings.js';
import type { ProviderAdapter } from '../types.js';
import { translateCompatibleError } from './server-errors.js';

const schema = z.object({
  type: z.literal('openai-compatible'),
  ...baseSettingsShape,
  baseUrl: z.url({ protocol: /^https?$/ }),
  streamUsage: z.boolean().optional(),
}).strict();

export type OpenAICompatibleSettings = z.infer<typeof schema>;

const shared = createOpenAIFormatAdapter<OpenAICompatibleSettings>({
  type: 'openai-compatible',
  settingsSchema: schema,
  authHeaders(_settings, key): Record<string, string> {
    return key ? { authorization: `Bearer ${key}` } : {};
  },
  fromEnv(env): Record<string, OpenAICompatibleSettings> {
    const baseUrl = env.OPENAI_COMPATIBLE_BASE_URL;
    if (!baseUrl) return {};
    const s: OpenAICompatibleSettings = { type: 'openai-compatible', baseUrl };
    if (env.OPENAI_COMPATIBLE_API_KEY) s.apiKey = env.OPENAI_COMPATIBLE_API_KEY;
    return { local: s };
  },
});

export const openaiCompatibleAdapter: ProviderAdapter<OpenAICompatibleSettings> = {
  ...shared,
  buildRequest(settings, input) {
    // The shared body builder adds include_usage only when told the call streams; the client's
    // own `stream: true` stays in the body, so the call still streams without the extra field.
    return shared.buildRequest(settings, settings.streamUsage === false ? { ...input, stream: false } : input);
  },
  translateError: translateCompatibleError,
};
