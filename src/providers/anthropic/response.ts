/**
 * Translates a complete Messages API response into an OpenAI `chat.completion` object, with
 * the gateway's usage and the finish reason. Text blocks are concatenated into the message
 * content; `tool_use` blocks become `tool_calls` with their input re-serialized as the JSON
 * argument string OpenAI clients parse. Thinking blocks have no OpenAI counterpart and are left out.
 */
import { GatewayError } from '../../errors/gateway-error.js';
import type { BuildInput, StreamOptions, TranslatedResponse } from '../types.js';
import { finishReasonFor } from './finish-reason.js';
import { gatewayUsage, mergeTokenCounts, NO_TOKENS, openAIUsage } from './usage.js';
import { isObject, stringOf, type JsonObject } from './wire-json.js';

interface AssistantOutput {
  text: string;
  toolCalls: JsonObject[];
}

function readContent(blocks: unknown[]): AssistantOutput {
  const out: AssistantOutput = { text: '', toolCalls: [] };
  for (const block of blocks) {
    if (!isObject(block)) continue;
    if (block.type === 'text') {
      out.text += stringOf(block.text) ?? '';
    } else if (block.type === 'tool_use') {
      out.toolCalls.push({
        id: stringOf(block.id) ?? '',
        type: 'function',
        function: { name: stringOf(block.name) ?? '', arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  return out;
}

function assistantMessage(output: AssistantOutput): JsonObject {
  const hasCalls = output.toolCalls.length > 0;
  // OpenAI sends null content on a pure tool-call turn; clients test for it.
  const message: JsonObject = {
    role: 'assistant',
    content: output.text.length > 0 || !hasCalls ? output.text : null,
    refusal: null,
  };
  if (hasCalls) message.tool_calls = output.toolCalls;
  return message;
}

export function chatCompletionFrom(json: unknown, input: BuildInput, options: StreamOptions): TranslatedResponse {
  if (!isObject(json) || !Array.isArray(json.content)) {
    throw new GatewayError('upstream_bad_response', { detail: 'The provider answer has no content list.' });
  }
  const finishReason = finishReasonFor(json.stop_reason);
  const counts = mergeTokenCounts(NO_TOKENS, json.usage);
  const body: JsonObject = {
    id: stringOf(json.id) ?? options.requestId,
    object: 'chat.completion',
    created: options.created,
    model: stringOf(json.model) ?? input.model,
    choices: [{ index: 0, message: assistantMessage(readContent(json.content)), logprobs: null, finish_reason: finishReason }],
    usage: openAIUsage(counts),
  };
  return { body, usage: gatewayUsage(counts), finishReason };
}
