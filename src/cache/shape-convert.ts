/**
 * Serving a cached answer in the other shape than it was stored in: a non-streamed
 * chat.completion / text_completion becomes the chunks a stream of it would have carried, and
 * a stored stream's chunks are reassembled into the completion object. Also adds or drops the
 * usage chunk when the client's `stream_options.include_usage` differs from the stored
 * stream's. Works on OpenAI-shaped objects only (what the gateway sends to clients); it never
 * touches a stream that already matches what the client asked (that is replayed byte for byte).
 */
import type { Usage } from '../providers/types.js';

type Obj = Record<string, unknown>;
type Choice = { index?: number; message?: Obj; delta?: Obj; text?: string; finish_reason?: unknown; logprobs?: unknown };

function parse(payload: string): Obj | undefined {
  try {
    const v = JSON.parse(payload) as unknown;
    return v !== null && typeof v === 'object' ? (v as Obj) : undefined;
  } catch {
    return undefined;
  }
}

export function openAiUsage(u: Usage): Obj {
  return { prompt_tokens: u.inputTokens, completion_tokens: u.outputTokens, total_tokens: u.inputTokens + u.outputTokens };
}

function isUsageChunk(chunk: Obj): boolean {
  return Array.isArray(chunk.choices) && chunk.choices.length === 0 && chunk.usage !== undefined && chunk.usage !== null;
}

interface Assembling { role: string; content: string; text: string; finish: unknown; tools: Obj[]; sawContent: boolean }

function mergeToolCalls(into: Obj[], deltas: unknown): void {
  if (!Array.isArray(deltas)) return;
  for (const d of deltas as Obj[]) {
    const i = typeof d.index === 'number' ? d.index : into.length;
    const fn = (d.function ?? {}) as Obj;
    const cur = into[i] ?? (into[i] = { id: d.id, type: d.type ?? 'function', function: { name: '', arguments: '' } });
    const curFn = cur.function as Obj;
    if (d.id !== undefined) cur.id = d.id;
    if (typeof fn.name === 'string') curFn.name = `${String(curFn.name)}${fn.name}`;
    if (typeof fn.arguments === 'string') curFn.arguments = `${String(curFn.arguments)}${fn.arguments}`;
  }
}

/** Reassembles a completion object from stored stream payloads. */
export function chunksToCompletion(payloads: readonly string[], chat: boolean, usage: Usage | null): string {
  const choices = new Map<number, Assembling>();
  let head: Obj = {};
  for (const p of payloads) {
    const chunk = parse(p);
    if (!chunk || !Array.isArray(chunk.choices)) continue;
    if (head.id === undefined) head = chunk;
    for (const c of chunk.choices as Choice[]) {
      const i = c.index ?? 0;
      const a = choices.get(i) ?? { role: 'assistant', content: '', text: '', finish: null, tools: [], sawContent: false };
      choices.set(i, a);
      if (typeof c.delta?.role === 'string') a.role = c.delta.role;
      if (typeof c.delta?.content === 'string') { a.content += c.delta.content; a.sawContent = true; }
      if (typeof c.text === 'string') a.text += c.text;
      mergeToolCalls(a.tools, c.delta?.tool_calls);
      if (c.finish_reason !== undefined && c.finish_reason !== null) a.finish = c.finish_reason;
    }
  }
  const out = [...choices.entries()].sort((x, y) => x[0] - y[0]).map(([index, a]) => chat
    ? { index, message: { role: a.role, content: a.sawContent || a.tools.length === 0 ? a.content : null, ...(a.tools.length > 0 ? { tool_calls: a.tools } : {}) }, logprobs: null, finish_reason: a.finish }
    : { index, text: a.text, logprobs: null, finish_reason: a.finish });
  const body: Obj = { id: head.id, object: chat ? 'chat.completion' : 'text_completion', created: head.created, model: head.model, choices: out };
  if (usage) body.usage = openAiUsage(usage);
  return JSON.stringify(body);
}

/** Synthesises stream payloads from a stored completion object. */
export function completionToChunks(bodyText: string, chat: boolean, usage: Usage | null, wantsUsage: boolean): string[] | undefined {
  const body = parse(bodyText);
  if (!body || !Array.isArray(body.choices)) return undefined;
  const base = { id: body.id, object: chat ? 'chat.completion.chunk' : 'text_completion', created: body.created, model: body.model };
  const out: string[] = [];
  for (const c of body.choices as Choice[]) {
    const index = c.index ?? 0;
    if (chat) {
      const m = c.message ?? {};
      const delta: Obj = { role: m.role ?? 'assistant', content: m.content ?? null };
      if (Array.isArray(m.tool_calls)) delta.tool_calls = (m.tool_calls as Obj[]).map((t, i) => ({ index: i, ...t }));
      out.push(JSON.stringify({ ...base, choices: [{ index, delta, logprobs: null, finish_reason: null }] }));
      out.push(JSON.stringify({ ...base, choices: [{ index, delta: {}, logprobs: null, finish_reason: c.finish_reason ?? 'stop' }] }));
    } else {
      out.push(JSON.stringify({ ...base, choices: [{ index, text: c.text ?? '', logprobs: null, finish_reason: c.finish_reason ?? 'stop' }] }));
    }
  }
  if (wantsUsage && usage) out.push(JSON.stringify({ ...base, choices: [], usage: openAiUsage(usage) }));
  return out;
}

/** A stored stream's payloads with the usage chunk added or removed to match the client. */
export function matchUsageChunk(payloads: readonly string[], hadUsage: boolean, wantsUsage: boolean, usage: Usage | null): readonly string[] {
  if (hadUsage === wantsUsage) return payloads;
  if (hadUsage) return payloads.filter((p) => { const c = parse(p); return !(c && isUsageChunk(c)); });
  if (!usage) return payloads;
  const last = parse(payloads[payloads.length - 1] ?? '') ?? {};
  return [...payloads, JSON.stringify({ id: last.id, object: last.object, created: last.created, model: last.model, choices: [], usage: openAiUsage(usage) })];
}
