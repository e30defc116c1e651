/**
 * End-to-end response cache: hits and misses through the real gateway and the fake upstream,
 * stream replay byte for byte, shape conversion (stored JSON served as a stream and back),
 * request controls with their Cloudflare aliases, scopes, per-operation policy, the
 * never-cache cases (S5), coalescing of concurrent identical requests, hit accounting in the
 * usage event, and the admin endpoint.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import type { UsageEvent } from '../../src/metering/usage-event.js';
import { CHAT_MODELS, startHarness, type Harness } from './harness.js';
import { postJson, raw, sseEvents, type RawResponse } from './http-client.js';

let h: Harness;
before(async () => {
  h = await startHarness({
    config: () => ({
      cache: { enabled: true, shared: 'none', coalesceWaitMs: 5000, semantic: { route: 'openai/text-embedding-ada-002', threshold: 0.99 } },
      operations: { no_cache: { cache: 'skip' }, per_user: { scope: 'user', cacheTtl: 600 }, similar: { semantic: true } },
      pricing: { 'openai/gpt-4o-mini': { input: 1, output: 2 }, 'openai/text-embedding-ada-002': { input: 100, output: 0 } },
    }),
  });
});
after(async () => { await h.close(); });

let seq = 0;
const fresh = (tag: string) => `${tag} #${process.pid}-${++seq}`;
const chat = (model: string, text: string, extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: 'user', content: text }], ...extra });
const CHAT = `${'/v1'}/chat/completions`;
const post = (body: unknown, headers: Record<string, string> = {}, path = CHAT): Promise<RawResponse> => postJson(`${h.gateway.url}${path}`, body, headers);
const status = (r: RawResponse) => r.headers['x-tollgate-cache-status'];
const calls = (text: string) => h.mock.attempts().filter((a) => JSON.stringify(a.body ?? '').includes(text)).length;

async function eventOf(requestId: string): Promise<UsageEvent> {
  await h.gateway.services.events.flush();
  const out: UsageEvent[] = [];
  for await (const e of h.gateway.services.store!.scan({ requestId })) out.push(e);
  assert.equal(out.length, 1);
  return out[0];
}

describe('exact-match hits', () => {
  test('a repeated chat request is a HIT with the same body, no second upstream call, cost 0 and saved cost', async () => {
    const text = fresh('hello');
    const a = await post(chat(CHAT_MODELS.openai, text), { 'x-request-id': `miss-${seq}-abcdefgh` });
    const b = await post(chat(CHAT_MODELS.openai, text), { 'x-request-id': `hit-${seq}-abcdefgh` });
    assert.equal(a.status, 200);
    assert.equal(status(a), 'MISS');
    assert.equal(a.headers['cf-aig-cache-status'], 'MISS');
    assert.equal(status(b), 'HIT');
    assert.equal(b.headers['cf-aig-cache-status'], 'HIT');
    assert.equal(b.text, a.text);
    assert.equal(b.headers['x-tollgate-provider'], 'openai');
    assert.equal(b.headers['x-tollgate-model'], 'gpt-4o-mini');
    assert.equal(b.headers['x-tollgate-cost-usd'], '0.000000');
    assert.equal(calls(text), 1);
    const miss = await eventOf(`miss-${seq}-abcdefgh`);
    const hit = await eventOf(`hit-${seq}-abcdefgh`);
    assert.equal(miss.cacheStatus, 'MISS');
    assert.ok((miss.costMicros ?? 0) > 0);
    assert.equal(hit.cacheStatus, 'HIT');
    assert.equal(hit.costMicros, 0);
    assert.equal(hit.savedMicros, miss.costMicros);
    assert.equal(hit.tokensIn, miss.tokensIn);
    assert.equal(hit.provider, 'openai');
  });

  test('fields outside the key (user, stream_options on JSON) do not split entries; a changed field does', async () => {
    const text = fresh('fields');
    await post(chat(CHAT_MODELS.openai, text, { temperature: 0 }));
    assert.equal(status(await post(chat(CHAT_MODELS.openai, text, { temperature: 0, user: 'someone' }))), 'HIT');
    assert.equal(status(await post(chat(CHAT_MODELS.openai, text, { temperature: 0.5 }))), 'MISS');
    assert.equal(status(await post(chat(CHAT_MODELS.anthropic, text, { temperature: 0 }))), 'MISS');
  });

  test('embeddings and completions are cached too', async () => {
    const input = fresh('embed me');
    const body = { model: 'openai/text-embedding-3-small', input };
    const a = await post(body, {}, '/v1/embeddings');
    const b = await post(body, {}, '/v1/embeddings');
    assert.deepEqual([status(a), status(b)], ['MISS', 'HIT']);
    assert.equal(b.text, a.text);
    const prompt = { model: CHAT_MODELS.openai, prompt: fresh('complete') };
    const c = await post(prompt, {}, '/v1/completions');
    const d = await post(prompt, {}, '/v1/completions');
    assert.deepEqual([status(c), status(d)], ['MISS', 'HIT']);
    assert.equal(d.text, c.text);
  });

  test('the official SDK sees the cached answer', async () => {
    const text = fresh('sdk');
    const first = await h.client.chat.completions.create({ model: CHAT_MODELS.openai, messages: [{ role: 'user', content: text }] });
    const again = await h.client.chat.completions.create({ model: CHAT_MODELS.openai, messages: [{ role: 'user', content: text }] });
    assert.equal(again.choices[0].message.content, first.choices[0].message.content);
    assert.equal(calls(text), 1);
  });
});

describe('streams', () => {
  for (const provider of ['openai', 'anthropic', 'workers-ai']) {
    test(`${provider}: a completed stream is replayed byte-identical, [DONE] included`, async () => {
      const body = chat(CHAT_MODELS[provider], fresh(`stream ${provider}`), { stream: true, stream_options: { include_usage: true } });
      const a = await post(body);
      const b = await post(body);
      assert.deepEqual([status(a), status(b)], ['MISS', 'HIT']);
      assert.equal(b.text, a.text);
      assert.ok(b.text.endsWith('data: [DONE]\n\n'));
      assert.match(String(b.headers['content-type']), /text\/event-stream/);
    });
  }

  test('a stored JSON answer serves a streaming request, and a stored stream serves a JSON request', async () => {
    const t1 = fresh('json first');
    const json = (await post(chat(CHAT_MODELS.openai, t1))).json() as { choices: Array<{ message: { content: string } }> };
    const streamed = await post(chat(CHAT_MODELS.openai, t1, { stream: true }));
    assert.equal(status(streamed), 'HIT');
    const { data } = sseEvents(streamed.text);
    assert.equal(data[data.length - 1], '[DONE]');
    const content = data.slice(0, -1).map((d) => (JSON.parse(d) as { choices: Array<{ delta?: { content?: string } }> }).choices[0]?.delta?.content ?? '').join('');
    assert.equal(content, json.choices[0].message.content);

    const t2 = fresh('stream first');
    const s = await post(chat(CHAT_MODELS.anthropic, t2, { stream: true, stream_options: { include_usage: true } }));
    const j = await post(chat(CHAT_MODELS.anthropic, t2));
    assert.equal(status(j), 'HIT');
    const parsed = j.json() as { object: string; choices: Array<{ message: { content: string }; finish_reason: string }>; usage: { completion_tokens: number } };
    assert.equal(parsed.object, 'chat.completion');
    const streamedText = sseEvents(s.text).data.slice(0, -1).map((d) => (JSON.parse(d) as { choices: Array<{ delta?: { content?: string } }> }).choices[0]?.delta?.content ?? '').join('');
    assert.equal(parsed.choices[0].message.content, streamedText);
    assert.equal(parsed.choices[0].finish_reason, 'stop');
    assert.equal(parsed.usage.completion_tokens, 5);
    // The client's include_usage choice is honoured on replay.
    const noUsage = await post(chat(CHAT_MODELS.anthropic, t2, { stream: true }));
    assert.equal(status(noUsage), 'HIT');
    assert.ok(!noUsage.text.includes('"usage"'));
  });
});

describe('request controls and their Cloudflare aliases', () => {
  for (const [name, value] of [['x-tollgate-skip-cache', 'true'], ['cf-aig-skip-cache', 'true']]) {
    test(`${name} bypasses the cache`, async () => {
      const body = chat(CHAT_MODELS.openai, fresh(name));
      await post(body);
      const r = await post(body, { [name]: value });
      assert.equal(status(r), 'BYPASS');
      assert.equal(r.headers['cf-aig-cache-status'], 'BYPASS');
      assert.equal(calls(body.messages[0].content), 2);
    });
  }

  for (const name of ['x-tollgate-cache-key', 'cf-aig-cache-key']) {
    test(`${name} replaces the body in the key`, async () => {
      const key = fresh('custom');
      await post(chat(CHAT_MODELS.openai, fresh('one')), { [name]: key });
      const r = await post(chat(CHAT_MODELS.openai, fresh('two')), { [name]: key });
      assert.equal(status(r), 'HIT');
    });
  }

  for (const name of ['x-tollgate-cache-ttl', 'cf-aig-cache-ttl']) {
    test(`${name} is accepted and clamped to the configured bounds`, async () => {
      const body = chat(CHAT_MODELS.openai, fresh(name));
      await post(body, { [name]: '1' }); // below minTtl (60 s): stored for 60 s, so still there
      assert.equal(status(await post(body)), 'HIT');
    });
  }

  test('x-tollgate-cache-refresh goes upstream and stores the new answer', async () => {
    const body = chat(CHAT_MODELS.openai, fresh('refresh'));
    await post(body);
    const r = await post(body, { 'x-tollgate-cache-refresh': 'true' });
    assert.equal(status(r), 'MISS');
    assert.equal(calls(body.messages[0].content), 2);
    assert.equal(status(await post(body)), 'HIT');
  });

  test('an operation with cache: skip is a BYPASS', async () => {
    const body = chat(CHAT_MODELS.openai, fresh('op skip'));
    await post(body, { 'x-tollgate-operation': 'no_cache' });
    assert.equal(status(await post(body, { 'x-tollgate-operation': 'no_cache' })), 'BYPASS');
    assert.equal(calls(body.messages[0].content), 2);
  });
});

describe('scopes (S4 end to end)', () => {
  test('user scope keeps users apart; without a user it is a BYPASS', async () => {
    const body = chat(CHAT_MODELS.openai, fresh('user scope'));
    const scope = { 'x-tollgate-cache-scope': 'user' };
    assert.equal(status(await post(body, { ...scope, 'x-tollgate-user': 'alice' })), 'MISS');
    assert.equal(status(await post(body, { ...scope, 'x-tollgate-user': 'bob' })), 'MISS');
    assert.equal(status(await post(body, { ...scope, 'x-tollgate-user': 'alice' })), 'HIT');
    assert.equal(status(await post(body, scope)), 'BYPASS');
  });

  test('an operation policy can ask for user scope', async () => {
    const body = chat(CHAT_MODELS.openai, fresh('op user'));
    const op = { 'x-tollgate-operation': 'per_user' };
    await post(body, { ...op, 'x-tollgate-user': 'carol' });
    assert.equal(status(await post(body, { ...op, 'x-tollgate-user': 'dave' })), 'MISS');
    assert.equal(status(await post(body, { ...op, 'x-tollgate-user': 'carol' })), 'HIT');
  });

  test('global scope is its own key space', async () => {
    const body = chat(CHAT_MODELS.openai, fresh('global'));
    await post(body);
    assert.equal(status(await post(body, { 'x-tollgate-cache-scope': 'global' })), 'MISS');
    assert.equal(status(await post(body, { 'x-tollgate-cache-scope': 'global' })), 'HIT');
  });
});

describe('never cached (S5): each case goes upstream again on repeat', () => {
  const cases: Array<[string, string, boolean]> = [
    ['a 5xx answer', '~status=500', false],
    ['a 4xx answer', '~status=400', false],
    ['a malformed JSON answer', '~malformedAt=0', false],
    ['a cut JSON answer', '~cutAfter=0', false],
    ['finish_reason length', '~finishReason=length', false],
    ['a cut stream', '~cutAfter=2', true],
    ['a stream without its terminal event', '~noDone', true],
    ['a stream with a malformed chunk', '~malformedAt=2', true],
    ['a streamed finish_reason length', '~finishReason=length', true],
  ];
  for (const [what, suffix, stream] of cases) {
    test(what, async () => {
      const text = fresh(what);
      const body = chat(`${CHAT_MODELS.openai}${suffix}`, text, { stream });
      await post(body, { 'x-tollgate-max-attempts': '1' });
      const before = calls(text);
      const again = await post(body, { 'x-tollgate-max-attempts': '1' });
      assert.equal(status(again), 'MISS', 'error answers carry the cache status too');
      assert.equal(calls(text), before + 1);
    });
  }

  test('a stream the client aborted', async () => {
    const text = fresh('aborted');
    const body = JSON.stringify(chat(`${CHAT_MODELS.openai}~chunks=20~chunkDelayMs=30`, text, { stream: true }));
    const controller = new AbortController();
    const res = await request(`${h.gateway.url}${CHAT}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: controller.signal });
    for await (const _ of res.body) { controller.abort(); break; }
    await new Promise((r) => setTimeout(r, 100));
    const again = await post(JSON.parse(body) as Record<string, unknown>);
    assert.equal(status(again), 'MISS');
    assert.equal(calls(text), 2);
  });
});

describe('coalescing', () => {
  test('100 concurrent identical requests make exactly one upstream call; streaming followers included', async () => {
    const text = fresh('coalesce');
    const model = `${CHAT_MODELS.openai}~delayMs=300`;
    const all = await Promise.all(Array.from({ length: 100 }, (_, i) => post(chat(model, text, { stream: i % 2 === 1 }))));
    assert.equal(calls(text), 1);
    assert.ok(all.every((r) => r.status === 200));
    assert.equal(all.filter((r) => status(r) === 'MISS').length, 1);
    assert.equal(all.filter((r) => status(r) === 'HIT').length, 99);
    const streamed = all.filter((_, i) => i % 2 === 1);
    assert.ok(streamed.every((r) => r.text.endsWith('data: [DONE]\n\n')));
  });

  test('when the leader fails, followers make their own calls instead of sharing the error', async () => {
    const text = fresh('leader fails');
    h.mock.script({ match: { model: 'gpt-4o-mini' }, steps: [{ status: 400, delayMs: 200 }] });
    const all = await Promise.all(Array.from({ length: 5 }, () => post(chat(CHAT_MODELS.openai, text), { 'x-tollgate-max-attempts': '1' })));
    assert.equal(all.filter((r) => r.status === 400).length, 1);
    assert.equal(all.filter((r) => r.status === 200).length, 4);
    assert.ok(calls(text) >= 2);
  });
});

describe('per-item embeddings', () => {
  type EmbeddingList = { data: Array<{ index: number; embedding: number[] | string; object: string }>; usage: { prompt_tokens: number } };
  const embed = (input: string[], extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) => post({ model: 'openai/text-embedding-3-small', input, ...extra }, headers, '/v1/embeddings');
  const sentInputs = (tag: string) => h.mock.attempts().filter((a) => a.path.endsWith('/embeddings') && JSON.stringify(a.body).includes(tag)).map((a) => (a.body as { input: string[] }).input);

  test('cached inputs are served from the cache, only misses go upstream, the answer keeps the client order', async () => {
    const tag = fresh('items');
    const [a, b, c] = ['alpha', 'beta', 'gamma'].map((w) => `${w} ${tag}`);
    const reference = (await embed([a, b, c], {}, { 'x-tollgate-skip-cache': 'true' })).json() as EmbeddingList;
    const first = await embed([a, b]);
    assert.equal(status(first), 'MISS');
    const second = await embed([b, c, a]);
    assert.equal(status(second), 'MISS');
    const body = second.json() as EmbeddingList;
    assert.deepEqual(body.data.map((d) => d.index), [0, 1, 2]);
    assert.deepEqual(body.data.map((d) => d.embedding), [reference.data[1].embedding, reference.data[2].embedding, reference.data[0].embedding]);
    assert.deepEqual(sentInputs(tag).slice(1), [[a, b], [c]], 'the second call sent only the miss');
    const onlyC = (await embed([c], {}, { 'x-tollgate-skip-cache': 'true' })).json() as EmbeddingList;
    assert.equal(body.usage.prompt_tokens, onlyC.usage.prompt_tokens, 'usage counts only what was paid for');

    const before = h.mock.attempts().length;
    const all = await embed([c, a], {}, { 'x-request-id': `items-hit-${seq}-abc` });
    assert.equal(status(all), 'HIT');
    assert.equal(h.mock.attempts().length, before, 'no upstream call when every input is cached');
    const hit = all.json() as EmbeddingList;
    assert.deepEqual(hit.data.map((d) => d.embedding), [reference.data[2].embedding, reference.data[0].embedding]);
    assert.equal(hit.usage.prompt_tokens, 0);
    assert.equal(all.headers['x-tollgate-cache-items'], '2/2');
  });

  test('encoding and dimensions are part of each item key; the SDK decodes a reassembled base64 answer', async () => {
    const tag = fresh('b64');
    const input = [`one ${tag}`, `two ${tag}`];
    await embed(input);
    assert.equal(status(await embed(input, { dimensions: 4 })), 'MISS');
    await h.client.embeddings.create({ model: 'openai/text-embedding-3-small', input }); // the SDK asks for base64
    const sdk = await h.client.embeddings.create({ model: 'openai/text-embedding-3-small', input: [input[1], `three ${tag}`, input[0]] });
    assert.deepEqual(sentInputs(tag).at(-1), [`three ${tag}`]);
    const plain = (await embed([input[1], `three ${tag}`, input[0]], { encoding_format: 'float' }, { 'x-tollgate-skip-cache': 'true' })).json() as EmbeddingList;
    assert.deepEqual(sdk.data.map((d) => d.embedding), plain.data.map((d) => d.embedding));
  });
});

describe('semantic cache (opt-in per operation)', () => {
  const op = { 'x-tollgate-operation': 'similar' };
  test('a prompt that embeds alike is a HIT with its similarity; a different one is not', async () => {
    const tag = fresh('semantic');
    const first = await post(chat(CHAT_MODELS.openai, `What is   the capital of France? ${tag}`), op);
    assert.equal(status(first), 'MISS');
    const similar = await post(chat(CHAT_MODELS.openai, `What is the capital of  France? ${tag}`, { stream: true }), op);
    assert.equal(status(similar), 'HIT');
    assert.equal(similar.headers['x-tollgate-cache-similarity'], '1.0000');
    assert.ok(similar.text.endsWith('data: [DONE]\n\n'));
    assert.equal(calls(`capital of  France? ${tag}`), 0, 'the similar prompt never reached the chat upstream');
    // The hit still paid for its embedding call: a small, known cost in its log row.
    await h.gateway.services.events.flush();
    const logged = (await h.gateway.services.store!.query({ requestId: similar.headers['x-request-id'] as string }, 1, null)).rows[0];
    // ada-002 is priced at $100 / 1M input tokens here, so the embedding's tokens × 100 micro-USD.
    assert.ok(logged && logged.costMicros !== null && logged.costMicros > 0 && logged.costMicros % 100 === 0, `semantic hit cost ${logged?.costMicros}`);
    assert.ok(logged.savedMicros > 0, 'the hit still records what the answer would have cost');
    assert.equal(status(await post(chat(CHAT_MODELS.openai, `What is the capital of Spain? ${tag}`), op)), 'MISS');
  });

  test('without the operation opt-in, or in another scope or model, similar prompts do not share', async () => {
    const tag = fresh('semantic scope');
    await post(chat(CHAT_MODELS.openai, `Tell me  a joke ${tag}`), op);
    assert.equal(status(await post(chat(CHAT_MODELS.openai, `Tell me a joke ${tag}`))), 'MISS', 'no opt-in');
    assert.equal(status(await post(chat(CHAT_MODELS.openai, `Tell me a joke  ${tag}`), { ...op, 'x-tollgate-cache-scope': 'global' })), 'MISS', 'other scope');
    assert.equal(status(await post(chat(CHAT_MODELS.anthropic, `Tell me a  joke ${tag}`), op)), 'MISS', 'other model');
    assert.equal(status(await post(chat(CHAT_MODELS.openai, `Tell me a joke ${tag}`, { temperature: 1 }), op)), 'MISS', 'other parameters');
  });
});

describe('admin endpoint', () => {
  test('GET reports stats; DELETE flushes (all, or one tenant)', async () => {
    const body = chat(CHAT_MODELS.openai, fresh('flush'));
    await post(body);
    assert.equal(status(await post(body)), 'HIT');
    const stats = (await raw(`${h.gateway.url}/api/admin/cache`, { method: 'GET' })).json();
    assert.equal(stats.enabled, true);
    assert.ok((stats.hits as number) > 0 && (stats.misses as number) > 0 && (stats.entries as number) > 0 && (stats.bytes as number) > 0);
    const other = await raw(`${h.gateway.url}/api/admin/cache?tenant=acme`, { method: 'DELETE' });
    assert.equal(other.status, 200);
    assert.equal(status(await post(body)), 'HIT', 'another tenant\'s flush leaves this entry');
    const flushed = await raw(`${h.gateway.url}/api/admin/cache`, { method: 'DELETE' });
    assert.equal(flushed.json().flushed, true);
    assert.equal(status(await post(body)), 'MISS');
  });
});
