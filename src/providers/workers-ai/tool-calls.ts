/**
 * Converts tool calls reported by Workers AI into OpenAI `tool_calls` entries. Models answer
 * either with flat `{name, arguments}` objects (arguments as an object) or already in OpenAI's
 * `{id, type, function}` form; both are accepted. Ids are derived from the request id when the
 * model gives none, so the same answer always translates to the same ids.
 */

function argumentsText(args: unknown): string {
  if (typeof args === 'string') return args;
  return JSON.stringify(args ?? {});
}

export function openAIToolCalls(raw: unknown, idPrefix: string): Record<string, unknown>[] | undefined {
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  return raw.map((entry: unknown, i) => {
    const call = (entry ?? {}) as Record<string, unknown>;
    const fn = call.function !== null && typeof call.function === 'object' ? (call.function as Record<string, unknown>) : call;
    return {
      id: typeof call.id === 'string' ? call.id : `call_${idPrefix}_${i}`,
      type: 'function',
      function: { name: typeof fn.name === 'string' ? fn.name : '', arguments: argumentsText(fn.arguments) },
    };
  });
}
