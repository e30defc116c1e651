/**
 * Config entry for the Anthropic provider: the common provider fields plus the API version
 * header and the `max_tokens` used when a client sends none (the Messages API requires one,
 * OpenAI clients usually omit it). Also the no-config defaults read from the environment.
 *
 * `baseUrl` is the origin without the version segment: the adapter appends `/v1/messages`.
 */
import { z } from 'zod';
import { baseSettingsShape } from '../settings.js';

export const DEFAULT_BASE_URL = 'https://api.anthropic.com';
export const DEFAULT_VERSION = '2023-06-01';
export const DEFAULT_MAX_TOKENS = 4096;

export const anthropicSettingsSchema = z.object({
  type: z.literal('anthropic'),
  ...baseSettingsShape,
  version: z.string().min(1).default(DEFAULT_VERSION),
  defaultMaxTokens: z.number().int().positive().default(DEFAULT_MAX_TOKENS),
}).strict();

export type AnthropicSettings = z.infer<typeof anthropicSettingsSchema>;

export function anthropicFromEnv(env: Readonly<Record<string, string | undefined>>): Record<string, AnthropicSettings> {
  const apiKey = env.ANTHROPIC_API_KEY;
  if (!apiKey) return {};
  const settings: AnthropicSettings = {
    type: 'anthropic',
    apiKey,
    version: DEFAULT_VERSION,
    defaultMaxTokens: DEFAULT_MAX_TOKENS,
  };
  if (env.ANTHROPIC_BASE_URL) settings.baseUrl = env.ANTHROPIC_BASE_URL;
  return { anthropic: settings };
}
