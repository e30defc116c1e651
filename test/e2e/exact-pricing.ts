/**
 * Test support: prices in USD per 1M tokens that equal micro-USD per token, so every expected
 * cost in the metering tests is an exact integer (tokens × price). Shared by the tests of the
 * OpenAI-compatible endpoints and of native pass-through, which must bill alike.
 */
export const EXACT_PRICING = {
  'openai/gpt-4o-mini': { input: 1, output: 2 },
  // A cached-input rate apart from the input rate, so cached tokens show in the cost.
  'openai/gpt-4.1': { input: 4, output: 8, cachedInput: 1 },
  'anthropic/claude-sonnet-4-5': { input: 3, output: 15 },
  'workers-ai/@cf/meta/llama-3.1-8b-instruct': { input: 5, output: 7 },
  'azure/gpt-4o': { input: 11, output: 13 },
} as const;
