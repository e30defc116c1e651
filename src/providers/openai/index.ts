/**
 * OpenAI (api.openai.com). Pure configuration of the shared OpenAI-format adapter: bearer auth,
 * optional organization/project headers, `OPENAI_API_KEY` as the no-config default.
 */
import { z } from 'zod';
import { createOpenAIFormatAdapter } from '../openai-shared/adapter.js';
import { baseSettingsShape } from '../settings.js';

const schema = z.object({
  type: z.literal('openai'),
  ...baseSettingsShape,
  organization: z.string().optional(),
  project: z.string().optional(),
}).strict();

export type OpenAISettings = z.infer<typeof schema>;

export const openaiAdapter = createOpenAIFormatAdapter<OpenAISettings>({
  type: 'openai',
  settingsSchema: schema,
  defaultBaseUrl: 'https://api.openai.com/v1',
  defaultModels: ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'o4-mini', 'text-embedding-3-small', 'text-embedding-3-large'],
  authHeaders(settings, key) {
    const h: Record<string, string> = {};
    if (key) h.authorization = `Bearer ${key}`;
    if (settings.organization) h['openai-organization'] = settings.organization;
    if (settings.project) h['openai-project'] = settings.project;
    return h;
  },
  fromEnv(env): Record<string, OpenAISettings> {
    const apiKey = env.OPENAI_API_KEY;
    if (!apiKey) return {};
    const s: OpenAISettings = { type: 'openai', apiKey };
    if (env.OPENAI_BASE_URL) s.baseUrl = env.OPENAI_BASE_URL;
    return { openai: s };
  },
});
