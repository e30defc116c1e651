/**
 * Config schema and no-config defaults for Cloudflare Workers AI entries. It describes settings
 * only; URLs are built in endpoints.ts and nothing here talks to Cloudflare.
 *
 * The shared `apiKey` field is deliberately removed: Cloudflare names the credential an API
 * token, and a strict schema that rejects `apiKey` tells a user who wrote the wrong name, where
 * accepting it as an alias would make two spellings of one secret to document and to redact.
 */
import { z } from 'zod';
import { baseSettingsShape } from '../settings.js';

export const WORKERS_AI_DEFAULT_BASE_URL = 'https://api.cloudflare.com/client/v4';

export const workersAISettingsSchema = z.object({
  type: z.literal('workers-ai'),
  ...baseSettingsShape,
  // Restricted to URL-safe characters because the id is spliced into the upstream path.
  accountId: z.string().regex(/^[A-Za-z0-9_-]+$/, 'accountId may contain only letters, digits, "_" and "-"'),
  apiToken: z.string().min(1).optional(),
  /** `run` = native ai/run/{model} endpoint; `openai` = Cloudflare's OpenAI-compatible ai/v1. */
  api: z.enum(['run', 'openai']).optional(),
}).omit({ apiKey: true }).strict();

export type WorkersAISettings = z.infer<typeof workersAISettingsSchema>;

export function workersAIFromEnv(env: Readonly<Record<string, string | undefined>>): Record<string, WorkersAISettings> {
  const accountId = env.CLOUDFLARE_ACCOUNT_ID;
  const apiToken = env.CLOUDFLARE_API_TOKEN;
  if (!accountId || !apiToken) return {};
  return { 'workers-ai': { type: 'workers-ai', accountId, apiToken } };
}
