/**
 * End-to-end stream honesty: chunks are forwarded as they arrive; a stream that is cut, stalls,
 * carries a malformed chunk or ends without its terminal event gives the client an SSE error
 * event and never `[DONE]`; protocol oddities (CR-only lines, comments, UTF-8 split across
 * reads) still produce the exact text; a client that goes away aborts the upstream call.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { CHAT_MODELS, startHarness, type Harness } from './harness.js';
import { postJson, sseEvents } from './http-client.js';

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h.close(); });
beforeEach(() => h.mock.resetAttempts());

const streamBody = (model: string) => ({ model, messages: [{ role: 'user', content: 'hi' }], stream: true });

function contentOf(data: string[]): string {
  return data
    .filter((d) => d !== '[DONE]')
    .map((d) => JSON.parse(d) as { choices: Array<{ delta?: { content?: string } }> })
    .map((c) => c.choices[0]?.delta?.content ?? '')
    .join('');
}

describe('broken upstream streams end with an error event, never [DONE]', () => {
  for (const provider of ['openai', 'anthropic', 'workers-ai']) {
    const model = CHAT_MODELS[provider];
    // Anthropic streams open with three frames that carry no text (message_start, block start, ping).
    const n = provider === 'anthropic' ? 5 : 2;
    for (const [fault, code] of [[`cutAfter=${n}`, 'upstream_stream_interrupted'], ['noDone', 'upstream_stream_interrupted'], [`stallAfter=${n}`, 'upstream_timeout']]) {
      test(`${provider}: ${fault}`, async () => {
        const r = await postJson(`${h.gateway.url}/v1/chat/completions`, streamBody(`${model}~chunks=5~${fault}`));
        assert.equal(r.status, 200);
        const { data, events } = sseEvents(r.text);
        assert.ok(!data.includes('[DONE]'), 'no [DONE] after a broken stream');
        assert.deepEqual(events, ['error']);
        const last = JSON.parse(data[data.length - 1]) as { error: { code: string } };
        assert.equal(last.error.code, code);
        assert.ok(contentOf(data.slice(0, -1)).length > 0, 'what arrived before the break was delivered');
      });
    }
  }

  for (const [provider, at] of [['openai', 2], ['anthropic', 4], ['workers-ai', 2]] as const) {
    test(`${provider}: a malformed chunk ends the stream with an error event`, async () => {
      const r = await postJson(`${h.gateway.url}/v1/chat/completions`, { ...streamBody(`${CHAT_MODELS[provider]}~chunks=5~chunkDelayMs=20~malformedAt=${at}`) });
      const { data, events } = sseEvents(r.text);
      assert.ok(!data.includes('[DONE]'));
      assert.deepEqual(events, ['error']);
      assert.equal((JSON.parse(data[data.length - 1]) as { error: { code: string } }).error.code, 'upstream_bad_response');
    });
  }

  test('a failure before the first event is a plain HTTP error', async () => {
    const r = await postJson(`${h.gateway.url}/v1/chat/completions`, streamBody(`${CHAT_MODELS.openai}~chunks=5~malformedAt=0`));
    assert.equal(r.status, 502);
    assert.equal((r.json().error as { code: string }).code, 'upstream_bad_response');
  });
});

describe('protocol oddities keep the content exact', () => {
  for (const odd of ['crOnly', 'comments', 'splitUtf8']) {
    for (const provider of ['openai', 'anthropic', 'workers-ai']) {
      test(`${provider}: ${odd}`, async () => {
        const model = `${CHAT_MODELS[provider]}~chunks=6~${odd}`;
        const plain = await postJson(`${h.gateway.url}/v1/chat/completions`, { model, messages: [{ role: 'user', content: 'hi' }] });
        const expected = (plain.json().choices as Array<{ message: { content: string } }>)[0].message.content;
        const r = await postJson(`${h.gateway.url}/v1/chat/completions`, streamBody(model));
        const { data } = sseEvents(r.text);
        assert.equal(data[data.length - 1], '[DONE]');
        assert.equal(contentOf(data), expected);
      });
    }
  }

  test('model output that looks like SSE framing cannot end the stream early', async () => {
    const content = encodeURIComponent('a\n\ndata: [DONE]\n\nb');
    const r = await postJson(`${h.gateway.url}/v1/chat/completions`, streamBody(`${CHAT_MODELS.openai}~content=${content}`));
    const { data } = sseEvents(r.text);
    assert.equal(data.filter((d) => d === '[DONE]').length, 1);
    assert.equal(data[data.length - 1], '[DONE]');
  });
});

describe('chunks are forwarded as they arrive', () => {
  test('L2: 40 concurrent live streams each end with finish_reason and [DONE], payloads as the upstream sent them', async () => {
    const model = `${CHAT_MODELS.openai}~chunks=12~chunkDelayMs=15`;
    const body = (i: number) => ({ model, messages: [{ role: 'user', content: `concurrent stream ${i}` }], stream: true });
    // The same request straight to the fake upstream, as the gateway sends it (asking for the
    // usage chunk), gives the reference payloads; the gateway forwards each one untouched and
    // hides the usage-only chunk from a client that did not ask for it. Only the per-attempt id
    // and the creation second may differ.
    const normalise = (data: string[]) => data.map((d) => d.replace(/"id":"[^"]*"/, '"id":"X"').replace(/"created":\d+/, '"created":0'));
    const direct = await postJson(`${h.mock.url}/v1/chat/completions`, { ...body(0), model: 'gpt-4o-mini~chunks=12~chunkDelayMs=15', stream_options: { include_usage: true } });
    const upstream = sseEvents(direct.text).data;
    const reference = normalise(upstream.filter((d) => !d.includes('"choices":[]')));
    assert.equal(reference.length, upstream.length - 1, 'the upstream sent one usage-only chunk');
    assert.equal(reference.at(-1), '[DONE]');
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => postJson(`${h.gateway.url}/v1/chat/completions`, body(i))));
    for (const [i, r] of answers.entries()) {
      assert.equal(r.status, 200, `stream ${i}`);
      const { data, events } = sseEvents(r.text);
      assert.deepEqual(events, [], `stream ${i} carried an error event`);
      assert.equal(data.at(-1), '[DONE]', `stream ${i} ended without [DONE]`);
      const last = JSON.parse(data.at(-2)!) as { choices: Array<{ finish_reason: string | null }> };
      assert.equal(last.choices[0].finish_reason, 'stop', `stream ${i}`);
      assert.deepEqual(normalise(data), reference, `stream ${i} differs from the upstream's payloads`);
    }
    assert.equal(h.mock.attempts().length, 41);
  });

  test('the first chunk reaches the client long before the stream ends', async () => {
    const started = performance.now();
    const res = await request(`${h.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(streamBody(`${CHAT_MODELS.openai}~chunks=6~chunkDelayMs=150`)),
    });
    let firstAt = 0;
    for await (const _chunk of res.body) {
      firstAt ||= performance.now() - started;
    }
    const total = performance.now() - started;
    assert.ok(firstAt < total - 500, `first chunk at ${firstAt.toFixed(0)} ms, end at ${total.toFixed(0)} ms`);
  });
});

describe('client disconnect aborts the upstream call', () => {
  for (const stream of [true, false]) {
    test(stream ? 'streaming' : 'non-streaming', async () => {
      const ac = new AbortController();
      const model = stream ? `${CHAT_MODELS.openai}~chunks=50~chunkDelayMs=100` : `${CHAT_MODELS.openai}~delayMs=5000`;
      const pending = request(`${h.gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], stream }),
        signal: ac.signal,
      });
      if (stream) {
        const res = await pending;
        for await (const _c of res.body) break;
      } else {
        pending.catch(() => undefined);
        await new Promise((r) => setTimeout(r, 300));
      }
      ac.abort();
      const deadline = Date.now() + 1000;
      while (Date.now() < deadline && !h.mock.attempts()[0]?.closedByClient) await new Promise((r) => setTimeout(r, 20));
      assert.equal(h.mock.attempts()[0]?.closedByClient, true, 'upstream socket closed within 1 s');
      const next = await postJson(`${h.gateway.url}/v1/chat/completions`, { model: CHAT_MODELS.openai, messages: [{ role: 'user', content: 'x' }] });
      assert.equal(next.status, 200);
    });
  }
});

describe('upstream timeouts', () => {
  test('no response headers within firstByteMs → 504', async () => {
    const r = await postJson(`${h.gateway.url}/v1/chat/completions`, { model: `${CHAT_MODELS.openai}~hang`, messages: [{ role: 'user', content: 'x' }] });
    assert.equal(r.status, 504);
    assert.equal((r.json().error as { code: string }).code, 'upstream_timeout');
  });
});
