/**
 * Turns an OpenAI `messages` array into the Messages API's `system` string plus its list of
 * user/assistant turns. System and developer messages are hoisted (the provider has no system
 * role inside the conversation); assistant tool calls become `tool_use` blocks; `tool` messages
 * become `tool_result` blocks in a user turn; consecutive turns of one role are merged so that
 * parallel tool results land in one user turn right after the assistant's tool calls.
 *
 * Messages left without any content (e.g. an empty assistant turn) are dropped rather than
 * sent as empty blocks, which the provider would reject.
 */
import { GatewayError } from '../../errors/gateway-error.js';
import { contentBlocks, textOf, type Block } from './content.js';
import { isObject, stringOf, type JsonObject } from './wire-json.js';

export type Role = 'user' | 'assistant';

export interface Turn {
  role: Role;
  content: string | Block[];
}

export interface Conversation {
  system?: string;
  messages: Turn[];
}

function invalid(param: string, detail: string): GatewayError {
  return new GatewayError('invalid_request', { param, detail });
}

function toolUseBlock(call: unknown, param: string): Block {
  if (!isObject(call) || (call.type !== undefined && call.type !== 'function') || !isObject(call.function)) {
    throw invalid(param, 'Only function tool calls are supported by this provider.');
  }
  const id = stringOf(call.id);
  const name = stringOf(call.function.name);
  if (!id || !name) throw invalid(param, 'A tool call needs an id and a function name.');
  const args = stringOf(call.function.arguments) ?? '';
  let input: unknown = {};
  try {
    if (args.trim().length > 0) input = JSON.parse(args);
  } catch {
    throw invalid(`${param}.function.arguments`, 'Tool call arguments must be a JSON object.');
  }
  if (!isObject(input)) throw invalid(`${param}.function.arguments`, 'Tool call arguments must be a JSON object.');
  return { type: 'tool_use', id, name, input };
}

function assistantBlocks(msg: JsonObject, param: string): Block[] {
  const blocks = contentBlocks(msg.content, `${param}.content`);
  const calls = msg.tool_calls;
  if (calls === undefined || calls === null) return blocks;
  if (!Array.isArray(calls)) throw invalid(`${param}.tool_calls`, 'tool_calls must be an array.');
  return blocks.concat(calls.map((call, j) => toolUseBlock(call, `${param}.tool_calls[${j}]`)));
}

function toolResultBlock(msg: JsonObject, param: string): Block {
  const id = stringOf(msg.tool_call_id);
  if (!id) throw invalid(`${param}.tool_call_id`, 'A tool message needs the tool_call_id it answers.');
  const block: Block = { type: 'tool_result', tool_use_id: id };
  const content = typeof msg.content === 'string' ? msg.content : contentBlocks(msg.content, `${param}.content`);
  if (content.length > 0) block.content = content;
  return block;
}

function append(turns: Array<{ role: Role; content: Block[] }>, role: Role, blocks: Block[]): void {
  if (blocks.length === 0) return;
  const last = turns[turns.length - 1];
  if (last && last.role === role) last.content.push(...blocks);
  else turns.push({ role, content: blocks });
}

/** A lone text block is sent as a plain string: the same meaning, a smaller and clearer body. */
function compact(turn: { role: Role; content: Block[] }): Turn {
  const [only] = turn.content;
  if (turn.content.length === 1 && only.type === 'text') return { role: turn.role, content: String(only.text) };
  return turn;
}

export function translateMessages(raw: unknown): Conversation {
  if (!Array.isArray(raw) || raw.length === 0) throw invalid('messages', 'messages must be a non-empty array.');
  const system: string[] = [];
  const turns: Array<{ role: Role; content: Block[] }> = [];
  raw.forEach((msg: unknown, i) => {
    const param = `messages[${i}]`;
    if (!isObject(msg)) throw invalid(param, 'Each message must be an object.');
    switch (msg.role) {
      case 'system':
      case 'developer': {
        const text = textOf(msg.content, `${param}.content`);
        if (text.length > 0) system.push(text);
        return;
      }
      case 'user':
        return append(turns, 'user', contentBlocks(msg.content, `${param}.content`));
      case 'assistant':
        return append(turns, 'assistant', assistantBlocks(msg, param));
      case 'tool':
        return append(turns, 'user', [toolResultBlock(msg, param)]);
      default:
        throw invalid(`${param}.role`, `Message role "${String(msg.role)}" is not supported by this provider.`);
    }
  });
  const conversation: Conversation = { messages: turns.map(compact) };
  if (system.length > 0) conversation.system = system.join('\n\n');
  return conversation;
}
