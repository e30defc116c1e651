import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startMockUpstream, type MockUpstream } from './server.js';
import { call, events, json } from './test-client.js';
import { contentPieces, DEFAULT_CONTENT, embeddingVector } from './mock-content.js';

let mock: MockUpstream;
before(async () => {
  mock = await startMockUpstream();
});
after(() => mock.close());

const RUN = '/client/v4/accounts/0123abc/ai/run/';
const LLAMA = '@cf/meta/llama-3.1-8b-instruct';
// 'Hello there, friend' = 19 chars -> 5 input tokens.
const chat = { messages: [{ role: 'user', content: 'Hello there, friend' }], max_tokens: 64 };

interface Envelope<T> {
  result: T;
  success: boolean;
  errors: { code: number | string; message: string }[];
  messages: unknown[];
}

test('text generation, non-stream: Cloudflare envelope with response and usage', async () => {
  const res = await call(mock.url, RUN + LLAMA, { body: chat });
  assert.equal(res.status, 200);
  const body = json<Envelope<{ response: string; usage: Record<string, number> }>>(res);
  assert.equal(body.success, true);
  assert.deepEqual(body.errors, []);
  assert.deepEqual(body.messages, []);
  assert.equal(body.result.response, DEFAULT_CONTENT);
  assert.deepEqual(body.result.usage, { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 });
  assert.equal(mock.attempts().at(-1)?.model, LLAMA);
});

test('prompt is accepted instead of messages', async () => {
  const res = await call(mock.url, RUN + LLAMA, { body: { prompt: 'abcdefgh' } });
  assert.equal(json<Envelope<{ usage: Record<string, number> }>>(res).result.usage.prompt_tokens, 2);
});

test('stream: response/p events, a usage event, then [DONE]', async () => {
  const res = await call(mock.url, RUN + LLAMA, { body: { ...chat, stream: true } });
  assert.match(String(res.headers['content-type']), /text\/event-stream/);
  const data = events(res.text).list.map((e) => e.data);
  assert.equal(data.length, 5 + 1 + 1);
  assert.equal(data.at(-1), '[DONE]');
  const pieces = data.slice(0, 5).map((d) => JSON.parse(d) as { response: string; p: string });
  assert.deepEqual(pieces.map((p) => p.response), contentPieces(DEFAULT_CONTENT, 5));
  assert.ok(pieces.every((p) => typeof p.p === 'string' && p.p.length > 0));
  assert.deepEqual(JSON.parse(data[5]), { response: '', usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 } });
});

test('noUsage drops the usage event and the usage field', async () => {
  const res = await call(mock.url, RUN + LLAMA, { body: { ...chat, stream: true }, headers: { 'x-mock-script': 'noUsage' } });
  assert.doesNotMatch(res.text, /usage/);
  const whole = await call(mock.url, RUN + LLAMA, { body: chat, headers: { 'x-mock-script': 'noUsage' } });
  assert.doesNotMatch(whole.text, /usage/);
});

test('embeddings models take text and answer shape + data', async () => {
  const res = await call(mock.url, RUN + '@cf/baai/bge-base-en-v1.5', { body: { text: ['a', 'bb', 'ccc'] } });
  const body = json<Envelope<{ shape: number[]; data: number[][] }>>(res);
  assert.deepEqual(body.result.shape, [3, 8]);
  assert.deepEqual(body.result.data[2], embeddingVector('ccc', 8));
  const single = json<Envelope<{ shape: number[] }>>(await call(mock.url, RUN + '@cf/baai/bge-small-en-v1.5', { body: { text: 'x' } }));
  assert.deepEqual(single.result.shape, [1, 8]);
});

test('bad input and scripted errors use the Cloudflare error envelope', async () => {
  const noInput = await call(mock.url, RUN + LLAMA, { body: { max_tokens: 3 } });
  assert.equal(noInput.status, 400);
  const e = json<Envelope<null>>(noInput);
  assert.equal(e.success, false);
  assert.equal(e.result, null);
  assert.equal(e.errors[0].code, 3003);
  assert.equal((await call(mock.url, RUN + '@cf/baai/bge-m3', { body: {} })).status, 400);
  const capacity = json<Envelope<null>>(await call(mock.url, RUN + LLAMA, { body: chat, headers: { 'x-mock-script': 'status=429' } }));
  assert.equal(capacity.errors[0].code, 3040);
  const numeric = json<Envelope<null>>(await call(mock.url, RUN + LLAMA, { body: chat, headers: { 'x-mock-script': 'status=500;errorCode=7010;errorMessage=boom' } }));
  assert.deepEqual(numeric.errors, [{ code: 7010, message: 'boom' }]);
  const text = json<Envelope<null>>(await call(mock.url, RUN + LLAMA, { body: chat, headers: { 'x-mock-script': 'status=500;errorCode=weird' } }));
  assert.equal(text.errors[0].code, 'weird');
  const plain = json<Envelope<null>>(await call(mock.url, RUN + LLAMA, { body: chat, headers: { 'x-mock-script': 'status=502' } }));
  assert.equal(plain.errors[0].code, 502);
});

test('the model in the path can carry a directive suffix', async () => {
  const res = await call(mock.url, RUN + encodeURIComponent(`${LLAMA}~status=503`), { body: chat });
  assert.equal(res.status, 503);
  assert.equal(mock.attempts().at(-1)?.model, LLAMA);
});
