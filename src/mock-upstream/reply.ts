/**
 * The shape every dialect module produces and the response writer consumes: either one JSON
 * body or an ordered list of SSE frames. Keeping the wire text separate from the writing lets
 * the writer apply the same faults (cuts, stalls, malformed frames, odd line endings) to every
 * provider format without knowing any of them.
 */
import type { Directives } from './directives.js';

export interface Frame {
  /** SSE `event:` name (Anthropic); absent for data-only streams. */
  event?: string;
  data: string;
  /** The provider's normal end-of-stream marker (`[DONE]`, `message_stop`), dropped by `noDone`. */
  terminal?: boolean;
}

export type Reply =
  | { kind: 'json'; status: number; body: string; headers?: Record<string, string> }
  | { kind: 'sse'; frames: Frame[]; headers?: Record<string, string> };

/** Everything a dialect needs to build an answer; computed once per request by the server. */
export interface ReplyInput {
  seq: number;
  /** The model name to report back (suffix removed). */
  model: string;
  body: Record<string, unknown>;
  stream: boolean;
  directives: Directives;
  /** Content pieces per the rule in mock-content.ts. */
  pieces: readonly string[];
  inputTokens: number;
  /** Unix seconds for `created` fields. */
  created: number;
  /** Request headers (lower-case), for the few answers that depend on them. */
  headers: Record<string, string | string[] | undefined>;
}

export function jsonReply(status: number, value: unknown, headers?: Record<string, string>): Reply {
  return headers ? { kind: 'json', status, body: JSON.stringify(value), headers } : { kind: 'json', status, body: JSON.stringify(value) };
}

export function joinedContent(input: ReplyInput): string {
  return input.pieces.join('');
}

export function outputTokens(input: ReplyInput): number {
  return input.pieces.length;
}
