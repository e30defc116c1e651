/**
 * Which native OpenAI-format calls can be metered: chat completions, legacy completions,
 * embeddings and the Responses API, recognised by the path's last segments (so
 * `/chat/completions` and `/v1/chat/completions` both count), with the model from the body.
 * Responses calls are described by responses-call.ts (their input and answer differ). Other
 * endpoints (model lists, files, images, audio, a stored response by id) are not priced here
 * and stay unknown.
 */
import { callFor, pathOnly } from '../passthrough-call.js';
import type { Operation, PassthroughCall } from '../types.js';
import { responsesCall } from './responses-call.js';

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

/** A Responses API create call (`…/responses`, not `…/responses/{id}/…`). */
export function isResponsesPath(path: string): boolean {
  return pathOnly(path).endsWith('/responses');
}

export function openAIPassthroughCall(path: string, body: Readonly<Record<string, unknown>>): PassthroughCall | undefined {
  if (isResponsesPath(path)) return responsesCall(body);
  const operation = openAIOperationOf(path);
  return operation ? callFor(operation, body) : undefined;
}
