/**
 * Chooses the answer for a routed request: a scripted error body in the route's own dialect
 * when the `status` directive is 400 or more, otherwise the dialect's normal answer for the
 * operation. A scripted status below 400 (e.g. 201) replaces the status of a JSON answer.
 *
 * Timing and transport faults are not decided here; the response writer applies them to
 * whatever this returns.
 */
import { anthropicErrorBody, anthropicMessages, anthropicModels } from './anthropic-replies.js';
import { openaiChat, openaiCompletions, openaiEmbeddings, openaiErrorBody, openaiModels } from './openai-replies.js';
import { openaiResponses } from './openai-responses.js';
import type { Reply, ReplyInput } from './reply.js';
import type { Dialect, Route } from './routes.js';
import { workersAiEmbeddings, workersAiErrorBody, workersAiModels, workersAiText } from './workers-ai-replies.js';

export function errorReply(dialect: Dialect, status: number, message?: string, code?: string): Reply {
  const body = dialect === 'anthropic' ? anthropicErrorBody(status, message, code)
    : dialect === 'workers-ai' ? workersAiErrorBody(status, message, code)
      : openaiErrorBody(status, message, code);
  return { kind: 'json', status, body };
}

function normalReply(route: Route, input: ReplyInput): Reply {
  switch (route.dialect) {
    case 'anthropic':
      return anthropicMessages(input);
    case 'workers-ai':
      if (route.operation === 'models') return workersAiModels();
      return route.operation === 'embeddings' ? workersAiEmbeddings(input) : workersAiText(input);
    default:
      if (route.operation === 'models') return input.headers['anthropic-version'] ? anthropicModels() : openaiModels(input.created);
      if (route.operation === 'completions') return openaiCompletions(input);
      if (route.operation === 'responses') return openaiResponses(input);
      return route.operation === 'embeddings' ? openaiEmbeddings(input) : openaiChat(input);
  }
}

export function buildReply(route: Route, input: ReplyInput): Reply {
  const d = input.directives;
  if (d.status !== undefined && d.status >= 400) return errorReply(route.dialect, d.status, d.errorMessage, d.errorCode);
  const reply = normalReply(route, input);
  if (d.status !== undefined && reply.kind === 'json' && reply.status === 200) reply.status = d.status;
  return reply;
}
