/**
 * The soak's traffic: a weighted mix of request kinds sent through the gateway with undici, each
 * with its own `x-request-id` so the soak can later find every request in the log store. Kinds:
 * plain chat (cache misses), a fixed prompt (cache hits after the first), streams, streams the
 * client abandons after the first chunk, upstream errors and streams cut by the upstream (mock
 * directives in the model suffix, docs/mock-upstream.md), and embeddings.
 *
 * It paces request starts to a bounded rate over a bounded number of workers; it does not judge
 * the answers beyond counting statuses (the soak is about leaks and lost rows, not correctness).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';

export type Kind = 'chat' | 'cache-hit' | 'stream' | 'abort' | 'upstream-error' | 'stream-cut' | 'embeddings';

const MIX: ReadonlyArray<readonly [Kind, number]> = [
  ['chat', 30], ['cache-hit', 15], ['stream', 20], ['abort', 10], ['upstream-error', 10], ['stream-cut', 5], ['embeddings', 10],
];
const MIX_TOTAL = MIX.reduce((sum, [, w]) => sum + w, 0);
export const KINDS: readonly Kind[] = MIX.map(([kind]) => kind);

export interface TrafficOptions {
  url: string;
  concurrency: number;
  /** Most request starts per second, all workers together. */
  rps: number;
  /** Prefix of every request id (unique per run). */
  idPrefix: string;
}

export interface TrafficTally {
  /** Every request id sent, in order. */
  ids: string[];
  /** `kind status` (or `kind error`) → count. */
  outcomes: Map<string, number>;
}

function pick(): Kind {
  let roll = Math.random() * MIX_TOTAL;
  for (const [kind, weight] of MIX) {
    roll -= weight;
    if (roll < 0) return kind;
  }
  return 'chat';
}

function chatBody(model: string, content: string, stream: boolean): string {
  return JSON.stringify({ model, messages: [{ role: 'user', content }], ...(stream ? { stream: true } : {}) });
}

function bodyFor(kind: Kind, n: number): { path: string; body: string } {
  const chat = '/v1/chat/completions';
  switch (kind) {
    case 'chat': return { path: chat, body: chatBody('openai/gpt-4o-mini', `soak question ${n}`, false) };
    case 'cache-hit': return { path: chat, body: chatBody('openai/gpt-4o-mini', 'soak: the one cached question', false) };
    case 'stream': return { path: chat, body: chatBody('openai/gpt-4o-mini', `soak stream ${n}`, true) };
    case 'abort': return { path: chat, body: chatBody('openai/gpt-4o-mini~chunks=20~chunkDelayMs=20', `soak abort ${n}`, true) };
    case 'upstream-error': return { path: chat, body: chatBody('openai/gpt-4o-mini~status=500', `soak error ${n}`, false) };
    case 'stream-cut': return { path: chat, body: chatBody('openai/gpt-4o-mini~cutAfter=3', `soak cut ${n}`, true) };
    case 'embeddings': return { path: '/v1/embeddings', body: JSON.stringify({ model: 'openai/text-embedding-3-small', input: `soak embed ${n}` }) };
  }
}

/** Sends one request of `kind`; resolves with its outcome label once the exchange is over. */
export async function sendOne(agent: Agent, url: string, kind: Kind, id: string, n: number): Promise<string> {
  const { path, body } = bodyFor(kind, n);
  const abort = new AbortController();
  try {
    const res = await request(`${url}${path}`, {
      method: 'POST', dispatcher: agent, signal: abort.signal, body,
      headers: { 'content-type': 'application/json', 'x-request-id': id },
      headersTimeout: 30_000, bodyTimeout: 30_000,
    });
    if (kind === 'abort' && res.statusCode === 200) {
      // Leave as soon as the first bytes arrive: the gateway sees a client gone mid-stream.
      for await (const chunk of res.body) {
        if ((chunk as Buffer).length > 0) break;
      }
      abort.abort();
      return `${kind} aborted`;
    }
    await res.body.dump({ limit: 1 << 22 });
    return `${kind} ${res.statusCode}`;
  } catch (err) {
    if (abort.signal.aborted) return `${kind} aborted`;
    return `${kind} error:${(err as { code?: string }).code ?? 'unknown'}`;
  }
}

/** Runs the mix until `until` (epoch ms); the tally is filled in as it goes. */
export async function drive(options: TrafficOptions, until: number, tally: TrafficTally): Promise<void> {
  const agent = new Agent({ connections: options.concurrency, keepAliveTimeout: 2_000 });
  const gap = 1000 / Math.max(1, options.rps);
  let next = Date.now();
  let n = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const slot = Math.max(Date.now(), next);
      next = slot + gap;
      if (slot >= until) return;
      if (slot > Date.now()) await sleep(slot - Date.now());
      const seq = ++n;
      const id = `${options.idPrefix}-${seq}`;
      const kind = pick();
      tally.ids.push(id);
      const outcome = await sendOne(agent, options.url, kind, id, seq);
      tally.outcomes.set(outcome, (tally.outcomes.get(outcome) ?? 0) + 1);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    await agent.close();
  }
}
