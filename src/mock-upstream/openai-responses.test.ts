import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startMockUpstream, type MockUpstream } from './server.js';
import { call, events, json } from './test-client.js';
import { contentPieces, DEFAULT_CONTENT } from './mock-content.js';

let mock: MockUpstream;
before(async () => {
  mock = await startMockUpstream();
});
after(() => mock.close());

// 'Be brief.' (9) + 'Say hello to the world' (22) = 31 chars -> ceil(31 / 4) = 8 input tokens.
const body = { model: 'gpt-4o-mini', instructions: 'Be brief.', input: [{ role: 'user', content: [{ type: 'input_text', text: 'Say hello to the world' }] }] };
const INPUT_TOKENS = 8;

interface ResponseObject {
  object: string;
  status: string;
  model: string;
  output: { type: string; content: { type: string; text: string }[] }[];
  incomplete_details: { reason: string } | null;
  usage: { input_tokens: number; output_tokens: number; input_tokens_details: { cached_tokens: number } } | null;
}

test('responses JSON: a completed response with the joined content and Responses-style usage', async () => {
  const res = await call(mock.url, '/v1/responses', { body });
  assert.equal(res.status, 200);
  const r = json<ResponseObject>(res);
  assert.equal(r.object, 'response');
  assert.equal(r.status, 'completed');
  assert.equal(r.output[0].content[0].text, DEFAULT_CONTENT);
  assert.equal(r.usage?.input_tokens, INPUT_TOKENS);
  assert.equal(r.usage?.output_tokens, 5);
  assert.equal(r.usage?.input_tokens_details.cached_tokens, 0);
});

test('a string input and instructions count as input text too; cachedTokens is capped at the input', async () => {
  const r = json<ResponseObject>(await call(mock.url, '/v1/responses', { body: { model: 'm~cachedTokens=3', input: 'abcdefgh' } }));
  assert.equal(r.usage?.input_tokens, 2);
  assert.equal(r.usage?.input_tokens_details.cached_tokens, 2);
});

test('responses stream: typed events in order, one delta per piece, usage on response.completed', async () => {
  const res = await call(mock.url, '/v1/responses', { body: { ...body, model: 'gpt-4o-mini~cachedTokens=4', stream: true } });
  assert.match(String(res.headers['content-type']), /text\/event-stream/);
  const { list, incomplete } = events(res.text);
  assert.equal(incomplete, false);
  const names = list.map((e) => e.event);
  assert.deepEqual(names, [
    'response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added',
    ...Array<string>(5).fill('response.output_text.delta'),
    'response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed',
  ]);
  const data = list.map((e) => JSON.parse(e.data) as { type: string; sequence_number: number; delta?: string; response?: ResponseObject });
  assert.deepEqual(data.map((d) => d.sequence_number), data.map((_, i) => i));
  assert.ok(data.every((d, i) => d.type === names[i]));
  assert.deepEqual(data.filter((d) => d.delta !== undefined).map((d) => d.delta), contentPieces(DEFAULT_CONTENT, 5));
  assert.equal(data[0].response?.usage, null);
  const final = data[data.length - 1].response!;
  assert.equal(final.status, 'completed');
  assert.deepEqual([final.usage?.input_tokens, final.usage?.output_tokens, final.usage?.input_tokens_details.cached_tokens], [INPUT_TOKENS, 5, 4]);
});

test('finishReason=length ends with response.incomplete; noUsage leaves usage null', async () => {
  const res = await call(mock.url, '/v1/responses', { body: { ...body, model: 'm~finishReason=length~noUsage', stream: true } });
  const last = events(res.text).list.at(-1)!;
  assert.equal(last.event, 'response.incomplete');
  const final = (JSON.parse(last.data) as { response: ResponseObject }).response;
  assert.deepEqual([final.status, final.incomplete_details?.reason, final.usage], ['incomplete', 'max_output_tokens', null]);
});

test('noDone drops the terminal event; a missing input is a 400', async () => {
  const noDone = events((await call(mock.url, '/v1/responses', { body: { ...body, model: 'm~noDone', stream: true } })).text).list;
  assert.equal(noDone.at(-1)?.event, 'response.output_item.done');
  const missing = await call(mock.url, '/v1/responses', { body: { model: 'm' } });
  assert.equal(missing.status, 400);
  assert.match(missing.text, /'input'/);
});

test('the official SDK reads both shapes', async () => {
  const client = new OpenAI({ baseURL: `${mock.url}/v1`, apiKey: 'k', maxRetries: 0 });
  const r = await client.responses.create({ model: 'gpt-4o-mini', input: 'Hello' });
  assert.equal(r.output_text, DEFAULT_CONTENT);
  let text = '';
  let usage: number | undefined;
  for await (const e of await client.responses.create({ model: 'gpt-4o-mini', input: 'Hello', stream: true })) {
    if (e.type === 'response.output_text.delta') text += e.delta;
    if (e.type === 'response.completed') usage = e.response.usage?.output_tokens;
  }
  assert.equal(text, DEFAULT_CONTENT);
  assert.equal(usage, 5);
});
