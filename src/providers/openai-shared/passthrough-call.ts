/**
 * Which native OpenAI-format calls can be metered: chat completions, legacy completions and
 * embeddings, recognised by the path's last segments (so `/chat/completions` and
 * `/v1/chat/completions` both count), with the model from the body. Other endpoints (model
 * lists, files, the Responses API, images, audio) are not priced here and stay unknown.
 */
import { callFor, pathOnly } from '../passthrough-call.js';
import type { Operation, PassthroughCall } from '../types.js';

// Longest suffix first: `/chat/completions` also ends with `/completions`.
const SUFFIXES: ReadonlyArray<readonly [string, Operation]> = [
  ['/chat/completions', 'chat'],
  ['/completions', 'completions'],
  ['/embeddings', 'embeddings'],
];

export function openAIOperationOf(path: string): Operation | undefined {
  const p = pathOnly(path);
  for (const [suffix, operation] of SUFFIXES) if (p.endsWith(suffix)) return operation;
  return undefined;
}

export function openAIPassthroughCall(path: string, body: Readonly<Record<string, unknown>>): PassthroughCall | undefined {
  const operation = openAIOperationOf(path);
  return operation ? callFor(operation, body) : undefined;
}
