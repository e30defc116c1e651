/**
 * `tollgate/client`: a thin wrapper over an `openai` client pointed at Tollgate, for teams that
 * would otherwise hand-write per-operation monitoring wrappers. Each call carries the
 * operation, end-user and metadata headers, and returns the answer together with what the
 * gateway reported about it (request id, cache status, cost, tokens, provider, attempts).
 *
 * The `openai` package is not a dependency of Tollgate: the caller passes its own client
 * instance and this module only uses its public `withResponse()` API, through the structural
 * types below.
 */
import { readGatewayInfo, type GatewayInfo } from './gateway-info.js';

export { readGatewayInfo, type GatewayInfo, type CacheStatus } from './gateway-info.js';

export interface CallLabels {
  /** `x-tollgate-operation`: 1–64 letters, digits and `_ . : -`. */
  operation?: string;
  /** `x-tollgate-user`: the end user, stored masked by the gateway. */
  user?: string;
  /** `x-tollgate-metadata`: at most 16 flat entries. */
  metadata?: Record<string, string | number | boolean>;
  /** Any further request headers (cache control, timeouts). */
  headers?: Record<string, string>;
}

interface WithResponse<T> {
  withResponse(): Promise<{ data: T; response: { headers: { get(name: string): string | null } } }>;
}

/** The slice of an `openai` client this helper calls. */
export interface OpenAILike<ChatBody, Chat, EmbedBody, Embed> {
  chat: { completions: { create(body: ChatBody, options?: { headers?: Record<string, string> }): WithResponse<Chat> } };
  embeddings: { create(body: EmbedBody, options?: { headers?: Record<string, string> }): WithResponse<Embed> };
}

export interface Answer<T> {
  data: T;
  gateway: GatewayInfo;
}

export function labelHeaders(labels: CallLabels): Record<string, string> {
  const out: Record<string, string> = { ...labels.headers };
  if (labels.operation !== undefined) out['x-tollgate-operation'] = labels.operation;
  if (labels.user !== undefined) out['x-tollgate-user'] = labels.user;
  if (labels.metadata !== undefined) out['x-tollgate-metadata'] = JSON.stringify(labels.metadata);
  return out;
}

function merge(defaults: CallLabels, call: CallLabels): CallLabels {
  return {
    operation: call.operation ?? defaults.operation,
    user: call.user ?? defaults.user,
    metadata: defaults.metadata || call.metadata ? { ...defaults.metadata, ...call.metadata } : undefined,
    headers: { ...defaults.headers, ...call.headers },
  };
}

async function answer<T>(pending: WithResponse<T>): Promise<Answer<T>> {
  const { data, response } = await pending.withResponse();
  return { data, gateway: readGatewayInfo(response.headers) };
}

/** The non-streamed answer type (the SDK's `create` is typed as "answer or stream"). */
export type Whole<T> = Exclude<T, AsyncIterable<unknown>>;

export interface TollgateClient<ChatBody, Chat, EmbedBody, Embed> {
  /** A non-streamed chat completion (a `stream: true` body is refused before sending). */
  chat(body: ChatBody, labels?: CallLabels): Promise<Answer<Whole<Chat>>>;
  embeddings(body: EmbedBody, labels?: CallLabels): Promise<Answer<Embed>>;
  /** A client whose calls all carry `labels` (per-call labels still win). */
  with(labels: CallLabels): TollgateClient<ChatBody, Chat, EmbedBody, Embed>;
}

export function wrapOpenAI<ChatBody, Chat, EmbedBody, Embed>(
  client: OpenAILike<ChatBody, Chat, EmbedBody, Embed>,
  defaults: CallLabels = {},
): TollgateClient<ChatBody, Chat, EmbedBody, Embed> {
  return {
    chat: async (body, labels = {}) => {
      if ((body as { stream?: unknown }).stream === true) throw new TypeError('tollgate/client chat() answers whole completions; call the SDK directly to stream');
      return answer(client.chat.completions.create(body, { headers: labelHeaders(merge(defaults, labels)) })) as Promise<Answer<Whole<Chat>>>;
    },
    embeddings: (body, labels = {}) => answer(client.embeddings.create(body, { headers: labelHeaders(merge(defaults, labels)) })),
    with: (labels) => wrapOpenAI(client, merge(defaults, labels)),
  };
}
