/**
 * Builds the upstream JSON body for OpenAI-format providers from the client's parsed body:
 * swaps in the provider-side model id and, for streams, asks for the usage chunk so that
 * streamed calls can be metered (the relay hides that chunk again from clients that did not
 * ask for it). Pure: the client body is never mutated.
 */
import type { BuildInput } from '../types.js';

export function openAIRequestBody(input: BuildInput, model = input.model): string {
  const body: Record<string, unknown> = { ...input.body, model };
  if (input.stream && input.operation !== 'embeddings') {
    const current = input.body.stream_options;
    const base = current !== null && typeof current === 'object' ? (current as Record<string, unknown>) : {};
    body.stream_options = { ...base, include_usage: true };
  }
  return JSON.stringify(body);
}

/** Whether the client itself asked for the usage chunk of a stream. */
export function clientWantsUsage(body: Record<string, unknown>): boolean {
  const so = body.stream_options;
  return so !== null && typeof so === 'object' && (so as Record<string, unknown>).include_usage === true;
}
