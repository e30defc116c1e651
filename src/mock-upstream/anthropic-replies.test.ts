import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startMockUpstream, type MockUpstream } from './server.js';
import { call, events, json } from './test-client.js';
import { contentPieces, DEFAULT_CONTENT } from './mock-content.js';
import { WEATHER_TOOL_INPUT } from './anthropic-replies.js';

let mock: MockUpstream;
before(async () => {
  mock = await startMockUpstream();
});
after(() => mock.close());

// 'Be brief.' (9) + 'Hi there' (8) = 17 chars -> 5 input tokens.
const base = { model: 'claude-sonnet-4-5', max_tokens: 100, system: 'Be brief.', messages: [{ role: 'user', content: 'Hi there' }] };
const tools = [{ name: 'get_weather', input_schema: { type: 'object' } }, { name: 'other', input_schema: { type: 'object' } }];
const weather = { ...base, tools, messages: [{ role: 'user', content: [{ type: 'text', text: 'What is the Weather in Paris?' }] }] };

interface Message {
  id: string;
  type: string;
  role: string;
  model: string;
  content: { type: string; text?: string; id?: string; name?: string; input?: unknown }[];
  stop_reason: string;
  usage?: Record<string, number>;
}

interface StreamEvent {
  type: string;
  message?: { usage: Record<string, number> };
  content_block?: { type: string; text?: string; input?: unknown };
  delta?: { type?: string; text?: string; partial_json?: string; stop_reason?: string; stop_sequence?: null };
  usage?: Record<string, number>;
}

test('non-stream message with text content and full usage', async () => {
  const res = await call(mock.url, '/v1/messages', { body: base, headers: { 'anthropic-version': '2023-06-01' } });
  assert.equal(res.status, 200);
  assert.match(String(res.headers['request-id']), /^req_mock/);
  const m = json<Message>(res);
  assert.match(m.id, /^msg_/);
  assert.deepEqual([m.type, m.role, m.model, m.stop_reason], ['message', 'assistant', 'claude-sonnet-4-5', 'end_turn']);
  assert.deepEqual(m.content, [{ type: 'text', text: DEFAULT_CONTENT }]);
  assert.deepEqual(m.usage, { input_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 5 });
});

test('stream follows the real event sequence with usage in message_start and message_delta', async () => {
  const res = await call(mock.url, '/v1/messages', { body: { ...base, stream: true } });
  const { list, incomplete } = events(res.text);
  assert.equal(incomplete, false);
  assert.deepEqual(list.map((e) => e.event), [
    'message_start', 'content_block_start', 'ping', ...Array<string>(5).fill('content_block_delta'), 'content_block_stop', 'message_delta', 'message_stop',
  ]);
  const payloads = list.map((e) => JSON.parse(e.data) as StreamEvent);
  assert.ok(list.every((e, i) => payloads[i].type === e.event));
  assert.equal(payloads[0].message?.usage.input_tokens, 5);
  assert.equal(payloads[0].message?.usage.output_tokens, 1);
  assert.deepEqual(payloads[1].content_block, { type: 'text', text: '' });
  assert.deepEqual(payloads.slice(3, 8).map((p) => p.delta?.text), contentPieces(DEFAULT_CONTENT, 5));
  assert.deepEqual(payloads[9].delta, { stop_reason: 'end_turn', stop_sequence: null });
  assert.deepEqual(payloads[9].usage, { output_tokens: 5 });
});

test('tools + "weather" in the last user message gives a tool_use block (non-stream)', async () => {
  const m = json<Message>(await call(mock.url, '/v1/messages', { body: weather }));
  assert.equal(m.stop_reason, 'tool_use');
  assert.equal(m.content.length, 1);
  assert.equal(m.content[0].type, 'tool_use');
  assert.equal(m.content[0].name, 'get_weather');
  assert.match(String(m.content[0].id), /^toolu_/);
  assert.deepEqual(m.content[0].input, WEATHER_TOOL_INPUT);
  assert.equal(m.usage?.output_tokens, 5);
});

test('tool_use streams as input_json_delta pieces that join to the tool input', async () => {
  const res = await call(mock.url, '/v1/messages', { body: { ...weather, model: 'claude~chunks=4', stream: true } });
  const payloads = events(res.text).list.map((e) => JSON.parse(e.data) as StreamEvent);
  assert.equal(payloads[1].content_block?.type, 'tool_use');
  assert.deepEqual(payloads[1].content_block?.input, {});
  const deltas = payloads.filter((p) => p.type === 'content_block_delta');
  assert.equal(deltas.length, 4);
  assert.ok(deltas.every((d) => d.delta?.type === 'input_json_delta'));
  assert.deepEqual(JSON.parse(deltas.map((d) => d.delta?.partial_json).join('')), WEATHER_TOOL_INPUT);
  const end = payloads.find((p) => p.type === 'message_delta');
  assert.equal(end?.delta?.stop_reason, 'tool_use');
  assert.equal(end?.usage?.output_tokens, 4);
});

test('no tool_use without tools, or when the word is only in an earlier message', async () => {
  const noTools = json<Message>(await call(mock.url, '/v1/messages', { body: { ...weather, tools: undefined } }));
  assert.equal(noTools.content[0].type, 'text');
  const earlier = {
    ...base, tools,
    messages: [{ role: 'user', content: 'weather?' }, { role: 'assistant', content: 'Sunny.' }, { role: 'user', content: 'thanks' }],
  };
  assert.equal(json<Message>(await call(mock.url, '/v1/messages', { body: earlier })).stop_reason, 'end_turn');
  const unnamed = { ...weather, tools: [{ input_schema: {} }] };
  assert.equal(json<Message>(await call(mock.url, '/v1/messages', { body: unnamed })).content[0].name, 'get_weather');
  const noUser = { ...base, tools, messages: [{ role: 'assistant', content: 'weather' }] };
  assert.equal(json<Message>(await call(mock.url, '/v1/messages', { body: noUser })).stop_reason, 'end_turn');
});

test('finishReason maps to Anthropic stop reasons; unknown values pass through', async () => {
  const stop = async (fr: string): Promise<string> =>
    json<Message>(await call(mock.url, '/v1/messages', { body: { ...base, model: `c~finishReason=${fr}` } })).stop_reason;
  assert.equal(await stop('length'), 'max_tokens');
  assert.equal(await stop('stop'), 'end_turn');
  assert.equal(await stop('stop_sequence'), 'stop_sequence');
});

test('noUsage removes usage from the message and from the stream events', async () => {
  const m = json<Message>(await call(mock.url, '/v1/messages', { body: { ...base, model: 'c~noUsage' } }));
  assert.equal(m.usage, undefined);
  const res = await call(mock.url, '/v1/messages', { body: { ...base, model: 'c~noUsage', stream: true } });
  assert.doesNotMatch(res.text, /usage/);
});

test('missing messages or max_tokens, and scripted errors, use the Anthropic error body', async () => {
  const noMax = await call(mock.url, '/v1/messages', { body: { ...base, max_tokens: undefined } });
  assert.equal(noMax.status, 400);
  assert.deepEqual(json(noMax), { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } });
  assert.equal((await call(mock.url, '/v1/messages', { body: { model: 'c', max_tokens: 1 } })).status, 400);
  const over = await call(mock.url, '/v1/messages', { body: { ...base, model: 'c~status=529' } });
  assert.equal(over.status, 529);
  assert.deepEqual(json(over), { type: 'error', error: { type: 'overloaded_error', message: 'Mock upstream error 529 (overloaded_error).' } });
  const custom = await call(mock.url, '/v1/messages', { body: { ...base, model: 'c~status=503~errorCode=api_error~errorMessage=down' } });
  assert.deepEqual(json(custom), { type: 'error', error: { type: 'api_error', message: 'down' } });
  const other = json<{ error: { type: string } }>(await call(mock.url, '/v1/messages', { body: { ...base, model: 'c~status=422' } }));
  assert.equal(other.error.type, 'invalid_request_error');
});

test('GET /v1/models with anthropic-version answers in Anthropic format', async () => {
  const res = await call(mock.url, '/v1/models', { headers: { 'anthropic-version': '2023-06-01' } });
  const body = json<{ data: { type: string; id: string }[]; has_more: boolean; first_id: string }>(res);
  assert.equal(body.has_more, false);
  assert.equal(body.data[0].type, 'model');
  assert.equal(body.first_id, body.data[0].id);
});
