/**
 * End-to-end: the official OpenAI SDK against a real gateway for every provider type, through
 * the fake upstream — chat (plain and streamed with the SDK's stream helper), completions,
 * embeddings, the model list, and the response headers that identify who answered.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CHAT_MODELS, startHarness, type Harness } from './harness.js';

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h.close(); });

describe('chat through every provider type', () => {
  for (const [provider, model] of Object.entries(CHAT_MODELS)) {
    test(`${provider}: non-streaming chat returns content and usage`, async () => {
      const { data, response } = await h.client.chat.completions
        .create({ model, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello' }] })
        .withResponse();
      assert.equal(data.object, 'chat.completion');
      assert.equal(typeof data.choices[0].message.content, 'string');
      assert.ok((data.choices[0].message.content ?? '').length > 0);
      assert.equal(data.choices[0].finish_reason, 'stop');
      assert.ok((data.usage?.prompt_tokens ?? 0) > 0);
      assert.ok((data.usage?.completion_tokens ?? 0) > 0);
      assert.equal(response.headers.get('x-tollgate-provider'), provider);
      assert.match(response.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(response.headers.get('x-tollgate-tokens-out'), String(data.usage?.completion_tokens));
    });

    test(`${provider}: streamed chat equals the non-streamed text and ends with finish_reason`, async () => {
      const plain = await h.client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Say hello' }] });
      const stream = h.client.chat.completions.stream({ model, messages: [{ role: 'user', content: 'Say hello' }] });
      const chunks: string[] = [];
      stream.on('content', (delta) => chunks.push(delta));
      const final = await stream.finalChatCompletion();
      assert.ok(chunks.length >= 2, 'content arrives in several chunks');
      assert.equal(final.choices[0].message.content, plain.choices[0].message.content);
      assert.equal(final.choices[0].finish_reason, 'stop');
    });
  }

  test('a route alias answers through its first target', async () => {
    const { response } = await h.client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    assert.equal(response.headers.get('x-tollgate-provider'), 'openai');
    assert.equal(response.headers.get('x-tollgate-model'), 'gpt-4o-mini');
  });
});

describe('usage in streams', () => {
  test('the usage chunk is hidden unless the client asked for it', async () => {
    const seen: unknown[] = [];
    const s1 = await h.client.chat.completions.create({ model: CHAT_MODELS.openai, messages: [{ role: 'user', content: 'hi' }], stream: true });
    for await (const c of s1) seen.push(c.usage ?? null);
    assert.ok(seen.every((u) => u === null || u === undefined), 'no usage object reaches a client that did not ask');
    const withUsage: unknown[] = [];
    const s2 = await h.client.chat.completions.create({
      model: CHAT_MODELS.openai, messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true },
    });
    for await (const c of s2) if (c.usage) withUsage.push(c.usage);
    assert.equal(withUsage.length, 1);
  });

  test('anthropic streams report usage to clients that ask', async () => {
    const s = await h.client.chat.completions.create({
      model: CHAT_MODELS.anthropic, messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true },
    });
    let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
    for await (const c of s) if (c.usage) usage = c.usage;
    assert.ok(usage && usage.prompt_tokens > 0 && usage.completion_tokens > 0);
  });
});

describe('completions, embeddings and models', () => {
  test('legacy completions through an OpenAI-format provider', async () => {
    const r = await h.client.completions.create({ model: CHAT_MODELS.openai, prompt: 'Once upon a time' });
    assert.equal(r.object, 'text_completion');
    assert.ok(r.choices[0].text.length > 0);
  });

  for (const model of ['openai/text-embedding-3-small', 'azure/text-embedding-3-small', 'compat/nomic-embed', 'workers-ai/@cf/baai/bge-base-en-v1.5', 'workers-ai-openai/@cf/baai/bge-base-en-v1.5']) {
    test(`embeddings via ${model}`, async () => {
      const r = await h.client.embeddings.create({ model, input: ['alpha', 'beta'] });
      assert.equal(r.data.length, 2);
      assert.equal(r.data[1].index, 1);
      assert.ok(Array.isArray(r.data[0].embedding) && r.data[0].embedding.length > 0);
    });
  }

  test('anthropic cannot embed: a clean 400 operation_not_supported', async () => {
    await assert.rejects(h.client.embeddings.create({ model: 'anthropic/claude-sonnet-4-5', input: 'x' }), (err: { status?: number; code?: string }) => {
      assert.equal(err.status, 400);
      assert.equal(err.code, 'operation_not_supported');
      return true;
    });
  });

  test('GET /v1/models lists provider models and route aliases', async () => {
    const ids: string[] = [];
    for await (const m of h.client.models.list()) ids.push(m.id);
    assert.ok(ids.includes('smart'));
    assert.ok(ids.includes('openai/gpt-4o-mini'));
    assert.ok(ids.some((id) => id.startsWith('anthropic/')));
    assert.ok(ids.some((id) => id.startsWith('workers-ai/@cf/')));
  });
});
