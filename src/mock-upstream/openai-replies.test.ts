import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startMockUpstream, type MockUpstream } from './server.js';
import { call, decodeFloat32Base64, events, json } from './test-client.js';
import { contentPieces, DEFAULT_CONTENT, embeddingVector } from './mock-content.js';

let mock: MockUpstream;
before(async () => {
  mock = await startMockUpstream();
});
after(() => mock.close());

const messages = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello to the world' }];
// 9 + 22 = 31 chars -> ceil(31 / 4) = 8 input tokens.
const INPUT_TOKENS = 8;

interface ChatCompletion {
  id: string;
  object: string;
  model: string;
  choices: { index: number; message: { role: string; content: string }; finish_reason: string }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

interface Chunk {
  object: string;
  choices: { delta: { role?: string; content?: string }; finish_reason: string | null }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
}

test('chat non-stream: chat.completion with the default content and deterministic usage', async () => {
  const res = await call(mock.url, '/v1/chat/completions', { body: { model: 'gpt-4o-mini', messages } });
  assert.equal(res.status, 200);
  assert.match(String(res.headers['content-type']), /application\/json/);
  const body = json<ChatCompletion>(res);
  assert.equal(body.object, 'chat.completion');
  assert.equal(body.model, 'gpt-4o-mini');
  assert.match(body.id, /^chatcmpl-/);
  assert.deepEqual(body.choices[0].message.role, 'assistant');
  assert.equal(body.choices[0].message.content, DEFAULT_CONTENT);
  assert.equal(body.choices[0].finish_reason, 'stop');
  assert.deepEqual({ ...body.usage, prompt_tokens_details: undefined, completion_tokens_details: undefined }, {
    prompt_tokens: INPUT_TOKENS, completion_tokens: 5, total_tokens: INPUT_TOKENS + 5,
    prompt_tokens_details: undefined, completion_tokens_details: undefined,
  });
});

test('chat stream: role chunk, one chunk per piece, finish chunk, [DONE]; no usage field unless asked', async () => {
  const res = await call(mock.url, '/v1/chat/completions', { body: { model: 'gpt-4o', messages, stream: true } });
  assert.equal(res.status, 200);
  assert.match(String(res.headers['content-type']), /text\/event-stream/);
  const { list, incomplete } = events(res.text);
  assert.equal(incomplete, false);
  assert.equal(list.length, 1 + 5 + 1 + 1);
  assert.equal(list[list.length - 1].data, '[DONE]');
  const chunks = list.slice(0, -1).map((e) => JSON.parse(e.data) as Chunk);
  assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && !('usage' in c)));
  assert.equal(chunks[0].choices[0].delta.role, 'assistant');
  assert.deepEqual(chunks.slice(1, 6).map((c) => c.choices[0].delta.content), contentPieces(DEFAULT_CONTENT, 5));
  assert.equal(chunks[6].choices[0].finish_reason, 'stop');
});

test('chat stream with include_usage: usage null on every chunk, then a choices:[] usage chunk', async () => {
  const body = { model: 'gpt-4o', messages, stream: true, stream_options: { include_usage: true } };
  const res = await call(mock.url, '/v1/chat/completions', { body });
  const data = events(res.text).list.map((e) => e.data);
  assert.equal(data.at(-1), '[DONE]');
  const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Chunk);
  const last = chunks.at(-1)!;
  assert.deepEqual(last.choices, []);
  assert.equal(last.usage?.prompt_tokens, INPUT_TOKENS);
  assert.equal(last.usage?.completion_tokens, 5);
  assert.ok(chunks.slice(0, -1).every((c) => c.usage === null));
});

test('chunks directive changes the piece count and the output tokens together', async () => {
  const body = { model: 'gpt-4o~chunks=3', messages, stream: true, stream_options: { include_usage: true } };
  const streamed = events((await call(mock.url, '/v1/chat/completions', { body })).text).list;
  const contents = streamed.slice(1, 4).map((e) => (JSON.parse(e.data) as Chunk).choices[0].delta.content);
  assert.deepEqual(contents, contentPieces(DEFAULT_CONTENT, 3));
  assert.equal((JSON.parse(streamed.at(-2)!.data) as Chunk).usage?.completion_tokens, 3);
  const whole = json<ChatCompletion>(await call(mock.url, '/v1/chat/completions', { body: { ...body, stream: false } }));
  assert.equal(whole.usage?.completion_tokens, 3);
  assert.equal(whole.model, 'gpt-4o');
});

test('legacy completions: text_completion, stream too', async () => {
  const res = await call(mock.url, '/v1/completions', { body: { model: 'gpt-3.5-turbo-instruct', prompt: 'abcd' } });
  const body = json<{ object: string; choices: { text: string; finish_reason: string }[]; usage: { prompt_tokens: number } }>(res);
  assert.equal(body.object, 'text_completion');
  assert.equal(body.choices[0].text, DEFAULT_CONTENT);
  assert.equal(body.usage.prompt_tokens, 1);
  const stream = await call(mock.url, '/v1/completions', {
    body: { model: 'gpt-3.5-turbo-instruct', prompt: 'abcd', stream: true, stream_options: { include_usage: true } },
  });
  const data = events(stream.text).list.map((e) => e.data);
  assert.equal(data.at(-1), '[DONE]');
  const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as { object: string; choices: { text: string; finish_reason: string | null }[] });
  assert.equal(chunks[0].object, 'text_completion');
  assert.equal(chunks.slice(0, 5).map((c) => c.choices[0].text).join(''), DEFAULT_CONTENT);
  assert.equal(chunks[5].choices[0].finish_reason, 'stop');
  assert.deepEqual(chunks[6].choices, []);
});

test('embeddings: float arrays per input with usage; base64 and dimensions honoured', async () => {
  const res = await call(mock.url, '/v1/embeddings', { body: { model: 'text-embedding-3-small', input: ['hello', 'world!!!'] } });
  const body = json<{ data: { index: number; embedding: number[] }[]; usage: { prompt_tokens: number; total_tokens: number } }>(res);
  assert.equal(body.data.length, 2);
  assert.deepEqual(body.data[1].embedding, embeddingVector('world!!!', 8));
  assert.deepEqual(body.usage, { prompt_tokens: 4, total_tokens: 4 });
  const b64 = json<{ data: { embedding: string }[] }>(await call(mock.url, '/v1/embeddings', {
    body: { model: 'e', input: 'hello', encoding_format: 'base64', dimensions: 4 },
  }));
  assert.deepEqual(decodeFloat32Base64(b64.data[0].embedding), embeddingVector('hello', 4));
});

test('models list', async () => {
  const body = json<{ object: string; data: { id: string; object: string }[] }>(await call(mock.url, '/v1/models'));
  assert.equal(body.object, 'list');
  assert.ok(body.data.some((m) => m.id === 'gpt-4o-mini' && m.object === 'model'));
});

test('Azure deployment routes answer in OpenAI format with model = deployment', async () => {
  const path = '/openai/deployments/prod-gpt/chat/completions?api-version=2024-10-21';
  const body = json<ChatCompletion>(await call(mock.url, path, { body: { messages } }));
  assert.equal(body.model, 'prod-gpt');
  const attempt = mock.attempts().at(-1)!;
  assert.equal(attempt.path, '/openai/deployments/prod-gpt/chat/completions');
  assert.equal(attempt.query, 'api-version=2024-10-21');
  const emb = await call(mock.url, '/openai/deployments/emb/embeddings?api-version=x', { body: { input: 'a' } });
  assert.equal(emb.status, 200);
});

test('Workers AI OpenAI-compatible endpoint answers in OpenAI format', async () => {
  const res = await call(mock.url, '/client/v4/accounts/acc/ai/v1/chat/completions', { body: { model: '@cf/meta/llama-3.1-8b-instruct', messages } });
  assert.equal(json<ChatCompletion>(res).model, '@cf/meta/llama-3.1-8b-instruct');
});

test('missing required fields and scripted errors use the OpenAI error body', async () => {
  const missing = await call(mock.url, '/v1/chat/completions', { body: { model: 'gpt-4o' } });
  assert.equal(missing.status, 400);
  assert.deepEqual(json(missing), { error: { message: "Missing required parameter: 'messages'.", type: 'invalid_request_error', param: 'messages', code: 'missing_required_parameter' } });
  assert.equal((await call(mock.url, '/v1/completions', { body: { model: 'x' } })).status, 400);
  assert.equal((await call(mock.url, '/v1/embeddings', { body: { model: 'x' } })).status, 400);
  const ctx = await call(mock.url, '/v1/chat/completions', { body: { model: 'gpt-4o~status=400~errorCode=context_length_exceeded', messages } });
  assert.deepEqual(json(ctx), { error: { message: 'Mock upstream error 400 (context_length_exceeded).', type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } });
  const server = json<{ error: { type: string; code: string } }>(await call(mock.url, '/v1/chat/completions', { body: { model: 'm~status=502', messages } }));
  assert.deepEqual([server.error.type, server.error.code], ['server_error', 'server_error']);
  const teapot = json<{ error: { type: string; code: string } }>(await call(mock.url, '/v1/chat/completions', { body: { model: 'm~status=418', messages } }));
  assert.deepEqual([teapot.error.type, teapot.error.code], ['invalid_request_error', 'invalid_request']);
});

test('the official openai SDK parses every answer, including its default base64 embeddings', async () => {
  const client = new OpenAI({ baseURL: `${mock.url}/v1`, apiKey: 'sk-mock', maxRetries: 0 });
  const done = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
  assert.equal(done.choices[0].message.content, DEFAULT_CONTENT);
  const stream = await client.chat.completions.create({
    model: 'gpt-4o', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }],
  });
  let text = '';
  let completionTokens = 0;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? '';
    if (chunk.usage) completionTokens = chunk.usage.completion_tokens;
  }
  assert.equal(text, DEFAULT_CONTENT);
  assert.equal(completionTokens, 5);
  const emb = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello' });
  assert.equal((mock.attempts().at(-1)?.body as { encoding_format?: string }).encoding_format, 'base64');
  assert.deepEqual(emb.data[0].embedding, embeddingVector('hello', 8));
  await assert.rejects(
    client.chat.completions.create({ model: 'gpt-4o~status=429~retryAfter=1', messages: [{ role: 'user', content: 'hi' }] }),
    (err: unknown) => err instanceof OpenAI.RateLimitError && err.code === 'rate_limit_exceeded',
  );
});
