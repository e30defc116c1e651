/**
 * Which native Workers AI run calls (`/workers-ai/{model}`, Cloudflare AI Gateway's shape) can
 * be metered: the model is the path itself, and the body says the operation — `messages` is
 * chat, `prompt` a text completion, `text` an embedding. Other models (image, speech,
 * translation) are not priced by tokens and stay unknown.
 */
import { callFor, pathOnly } from '../passthrough-call.js';
import type { PassthroughCall } from '../types.js';

export function runPassthroughCall(path: string, body: Readonly<Record<string, unknown>>): PassthroughCall | undefined {
  const model = pathOnly(path).slice(1);
  if (!model.startsWith('@')) return undefined;
  if (Array.isArray(body.messages)) return callFor('chat', body, model);
  if (typeof body.prompt === 'string') return callFor('completions', body, model);
  if (typeof body.text === 'string' || Array.isArray(body.text)) {
    const call = callFor('embeddings', body, model);
    if (call) call.estimateBody = { ...body, input: body.text }; // OpenAI names it `input`
    return call;
  }
  return undefined;
}
