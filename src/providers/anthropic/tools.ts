/**
 * Translates OpenAI function tools, `tool_choice` and `parallel_tool_calls` into the Messages
 * API's `tools` and `tool_choice`. Only function tools exist on both sides; other tool types
 * are refused rather than silently dropped, since the model would then answer without them.
 *
 * Without any tools nothing is sent, not even a `tool_choice`: there would be nothing to choose.
 */
import { GatewayError } from '../../errors/gateway-error.js';
import { isObject, stringOf, type JsonObject } from './wire-json.js';

export interface ToolFields {
  tools?: JsonObject[];
  tool_choice?: JsonObject;
}

const EMPTY_SCHEMA = Object.freeze({ type: 'object', properties: {} });

function invalid(param: string, detail: string): GatewayError {
  return new GatewayError('invalid_request', { param, detail });
}

function toolOf(tool: unknown, param: string): JsonObject {
  if (!isObject(tool) || tool.type !== 'function' || !isObject(tool.function)) {
    throw invalid(param, 'Only tools of type "function" are supported by this provider.');
  }
  const fn = tool.function;
  const name = stringOf(fn.name);
  if (!name) throw invalid(`${param}.function.name`, 'A function tool needs a name.');
  const out: JsonObject = { name, input_schema: isObject(fn.parameters) ? fn.parameters : { ...EMPTY_SCHEMA } };
  const description = stringOf(fn.description);
  if (description) out.description = description;
  return out;
}

function choiceOf(choice: unknown): JsonObject | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any' };
  if (isObject(choice) && choice.type === 'function' && isObject(choice.function)) {
    const name = stringOf(choice.function.name);
    if (name) return { type: 'tool', name };
  }
  throw invalid('tool_choice', 'tool_choice must be "auto", "none", "required" or a named function.');
}

export function translateTools(body: Readonly<JsonObject>): ToolFields {
  const raw = body.tools;
  if (raw === undefined || raw === null) return {};
  if (!Array.isArray(raw)) throw invalid('tools', 'tools must be an array.');
  if (raw.length === 0) return {};
  const fields: ToolFields = { tools: raw.map((t, i) => toolOf(t, `tools[${i}]`)) };
  let choice = choiceOf(body.tool_choice);
  // The provider carries "one call at a time" on tool_choice; it has no meaning for "none".
  if (body.parallel_tool_calls === false && choice?.type !== 'none') {
    choice = { ...(choice ?? { type: 'auto' }), disable_parallel_tool_use: true };
  }
  if (choice) fields.tool_choice = choice;
  return fields;
}
