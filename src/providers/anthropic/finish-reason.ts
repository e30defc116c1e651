/**
 * Maps a Messages API `stop_reason` to an OpenAI `finish_reason`. Shared by the whole-response
 * and the streaming translations so both always agree. Unknown or future reasons read as
 * `stop`: the turn did end, and clients treat `stop` as the neutral outcome.
 */

const FINISH_REASONS: Readonly<Record<string, string>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  // The provider paused a long server-side tool turn; to an OpenAI client the turn is over.
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

export function finishReasonFor(stopReason: unknown): string {
  return typeof stopReason === 'string' ? FINISH_REASONS[stopReason] ?? 'stop' : 'stop';
}
