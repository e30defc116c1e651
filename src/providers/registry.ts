/**
 * The provider registry: one line per provider type. Adding a provider is a folder under
 * src/providers/ plus one line here; nothing else in the gateway names providers.
 */
import type { ProviderAdapter, BaseProviderSettings } from './types.js';
import { anthropicAdapter } from './anthropic/index.js';
import { azureOpenAIAdapter } from './azure-openai/index.js';
import { openaiAdapter } from './openai/index.js';
import { openaiCompatibleAdapter } from './openai-compatible/index.js';
import { openrouterAdapter } from './openrouter/index.js';
import { workersAIAdapter } from './workers-ai/index.js';

export const ADAPTERS: readonly ProviderAdapter<BaseProviderSettings>[] = [
  openaiAdapter,
  azureOpenAIAdapter,
  openaiCompatibleAdapter,
  openrouterAdapter,
  workersAIAdapter,
  anthropicAdapter,
] as unknown as readonly ProviderAdapter<BaseProviderSettings>[];

const byType = new Map(ADAPTERS.map((a) => [a.type, a]));

export function adapterFor(type: string): ProviderAdapter<BaseProviderSettings> | undefined {
  return byType.get(type);
}
