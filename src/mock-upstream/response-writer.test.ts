import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startMockUpstream, type MockUpstream } from './server.js';
import { bodyText, call, events, exchange, json, waitFor } from './test-client.js';
import { contentPieces, UTF8_CONTENT } from './mock-content.js';

let mock: MockUpstream;
before(async () => {
  mock = await startMockUpstream();
});
after(() => mock.close());

const CHAT = '/v1/chat/completions';
const chat = (model: string, stream = false): Record<string, unknown> => ({ model, stream, messages: [{ role: 'user', content: 'hi' }] });
const last = (): ReturnType<MockUpstream['attempts']>[number] => mock.attempts().at(-1)!;
// A default OpenAI chat stream has 1 role + 5 content + 1 finish frames, then [DONE]: 8 frames.
const FRAMES = 8;

function isCompleteUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

test('delayMs holds the status line back', async () => {
  const ex = await exchange(mock.url, CHAT, chat('m~delayMs=150'));
  assert.equal(ex.status, 200);
  assert.ok(ex.headersAt! >= 140, `headers after ${ex.headersAt} ms`);
});

test('ttfbMs sends headers first and the body later', async () => {
  // Generous margins: client-side timings drift on a loaded machine, the server-side wait does not.
  const ex = await exchange(mock.url, CHAT, chat('m~ttfbMs=1000'));
  assert.ok(ex.arrivals[0] >= 1000, `body after ${ex.arrivals[0]} ms`);
  assert.ok(ex.arrivals[0] - ex.headersAt! >= 500, `body ${ex.arrivals[0] - ex.headersAt!} ms after headers`);
  assert.equal(ex.ended, true);
});

test('retryAfter and retryAfterMs set their headers, on errors and successes alike', async () => {
  const err = await call(mock.url, CHAT, { body: chat('m~status=429~retryAfter=2~retryAfterMs=1500') });
  assert.equal(err.status, 429);
  assert.equal(err.headers['retry-after'], '2');
  assert.equal(err.headers['retry-after-ms'], '1500');
  assert.equal(last().outcome, 'error');
  const ok = await call(mock.url, CHAT, { body: chat('m~retryAfter=7') });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers['retry-after'], '7');
});

test('a scripted status below 400 replaces the status of a normal answer', async () => {
  const res = await call(mock.url, CHAT, { body: chat('m~status=201') });
  assert.equal(res.status, 201);
  assert.equal(json<{ object: string }>(res).object, 'chat.completion');
});

test('chunkDelayMs spaces the frames out', async () => {
  const ex = await exchange(mock.url, CHAT, chat('m~chunks=2~chunkDelayMs=40', true));
  assert.equal(ex.ended, true);
  // 1 role + 2 content + 1 finish + [DONE] = 5 frames, 4 gaps.
  assert.equal(events(bodyText(ex)).list.length, 5);
  assert.ok(ex.arrivals.at(-1)! >= 160, `last frame after ${ex.arrivals.at(-1)} ms`);
  assert.ok(ex.chunks.length >= 3, 'frames were not sent separately');
});

test('cutAfter (stream): exactly N frames, then the socket closes without a proper end', async () => {
  const ex = await exchange(mock.url, CHAT, chat('m~cutAfter=3', true));
  assert.equal(ex.status, 200);
  assert.equal(ex.ended, false);
  assert.ok(ex.error);
  const { list, incomplete } = events(bodyText(ex));
  assert.equal(incomplete, false);
  assert.equal(list.length, 3);
  await waitFor(() => last().outcome === 'cut', 3000, 'outcome cut');
  assert.equal(last().closedByClient, false);
});

test('cutAfter at or past the frame count cuts after [DONE] but before the response end', async () => {
  const ex = await exchange(mock.url, CHAT, chat('m~cutAfter=100', true));
  assert.equal(ex.ended, false);
  assert.equal(events(bodyText(ex)).list.at(-1)?.data, '[DONE]');
  assert.equal(events(bodyText(ex)).list.length, FRAMES);
});

test('cutAfter (non-stream): full Content-Length announced, half the body sent, then cut', async () => {
  const ex = await exchange(mock.url, CHAT, chat('m~cutAfter=0'));
  assert.equal(ex.status, 200);
  assert.equal(ex.ended, false);
  const received = bodyText(ex);
  assert.ok(received.startsWith('{"id":"chatcmpl-mock'));
  assert.equal(Math.floor(Number(ex.headers['content-length']) / 2), Buffer.byteLength(received));
  assert.equal(last().outcome, 'cut');
});

test('stallAfter (stream): N frames, then silence until the client leaves', async () => {
  const ex = await exchange(mock.url, CHAT, chat('m~stallAfter=2', true), { abortAfterMs: 800 });
  assert.equal(ex.error, 'timeout');
  assert.equal(events(bodyText(ex)).list.length, 2);
  await waitFor(() => last().closedByClient, 3000, 'closedByClient');
  assert.equal(last().outcome, 'stall');
});

test('stallAfter past the end stalls after [DONE]; stallAfter (non-stream) stalls mid-body', async () => {
  const late = await exchange(mock.url, CHAT, chat('m~stallAfter=99', true), { abortAfterMs: 800 });
  assert.equal(late.error, 'timeout');
  assert.equal(events(bodyText(late)).list.length, FRAMES);
  const whole = await exchange(mock.url, CHAT, chat('m~stallAfter=0'), { abortAfterMs: 800 });
  assert.equal(whole.status, 200);
  assert.equal(whole.error, 'timeout');
  assert.ok(bodyText(whole).length > 0);
  assert.throws(() => JSON.parse(bodyText(whole)));
});

test('malformedAt breaks exactly one frame; non-stream gets a complete but broken JSON body', async () => {
  const res = await call(mock.url, CHAT, { body: chat('m~malformedAt=2', true) });
  const list = events(res.text).list;
  assert.equal(list.length, FRAMES);
  assert.throws(() => JSON.parse(list[2].data));
  for (const e of list.slice(0, -1).filter((_, i) => i !== 2)) JSON.parse(e.data);
  assert.equal(list.at(-1)?.data, '[DONE]');
  const whole = await call(mock.url, CHAT, { body: chat('m~malformedAt=0') });
  assert.equal(whole.status, 200);
  assert.equal(Number(whole.headers['content-length']), Buffer.byteLength(whole.text));
  assert.throws(() => JSON.parse(whole.text));
});

test('noDone ends cleanly without [DONE] (OpenAI) or message_stop (Anthropic)', async () => {
  const ex = await exchange(mock.url, CHAT, chat('m~noDone', true));
  assert.equal(ex.ended, true);
  const list = events(bodyText(ex)).list;
  assert.equal(list.length, FRAMES - 1);
  assert.ok(list.every((e) => e.data !== '[DONE]'));
  const body = { model: 'claude~noDone', max_tokens: 5, stream: true, messages: [{ role: 'user', content: 'hi' }] };
  const anth = events((await call(mock.url, '/v1/messages', { body })).text).list.map((e) => e.event);
  assert.equal(anth.at(-1), 'message_delta');
  assert.ok(!anth.includes('message_stop'));
});

test('crOnly and comments change the framing but not the events', async () => {
  const withoutIds = (text: string): string[] => events(text).list.map((e) => e.data.replace(/chatcmpl-mock\d+|"created":\d+/g, ''));
  const plain = withoutIds((await call(mock.url, CHAT, { body: chat('m', true) })).text);
  const crText = (await call(mock.url, CHAT, { body: chat('m~crOnly', true) })).text;
  assert.ok(!crText.includes('\n') && crText.includes('\r'));
  assert.deepEqual(withoutIds(crText), plain);
  const commented = (await call(mock.url, CHAT, { body: chat('m~comments~crOnly=false', true) })).text;
  assert.equal(commented.match(/^: keep-alive$/gm)?.length, FRAMES);
  assert.equal(events(commented).list.length, FRAMES);
  const anth = await call(mock.url, '/v1/messages', {
    body: { model: 'c~crOnly~comments', max_tokens: 5, stream: true, messages: [{ role: 'user', content: 'hi' }] },
  });
  assert.equal(events(anth.text).list[0].event, 'message_start');
});

test('splitUtf8 (stream): multi-byte content, writes split inside a UTF-8 sequence', async () => {
  const ex = await exchange(mock.url, CHAT, chat('m~splitUtf8', true));
  assert.equal(ex.ended, true);
  assert.ok(ex.chunks.some((c) => !isCompleteUtf8(c)), 'no chunk ended inside a UTF-8 sequence');
  const list = events(Buffer.concat(ex.chunks)).list;
  const text = list.slice(1, 6).map((e) => (JSON.parse(e.data) as { choices: { delta: { content: string } }[] }).choices[0].delta.content);
  assert.deepEqual(text, contentPieces(UTF8_CONTENT, 5));
});

test('splitUtf8 (non-stream) splits the JSON body the same way', async () => {
  const ex = await exchange(mock.url, CHAT, chat('m~splitUtf8'));
  assert.ok(ex.chunks.some((c) => !isCompleteUtf8(c)));
  const body = JSON.parse(bodyText(ex)) as { choices: { message: { content: string } }[] };
  assert.equal(body.choices[0].message.content, UTF8_CONTENT);
});

test('reset destroys the connection before any response', async () => {
  const ex = await exchange(mock.url, CHAT, chat('m~reset'));
  assert.equal(ex.status, undefined);
  assert.ok(ex.error === 'ECONNRESET' || ex.error === 'socket hang up', String(ex.error));
  assert.equal(last().outcome, 'reset');
  assert.equal(last().closedByClient, false);
  const started = Date.now();
  const late = await exchange(mock.url, CHAT, chat('m~reset~delayMs=120'));
  assert.equal(late.status, undefined);
  assert.ok(Date.now() - started >= 110);
});

test('hang never answers; the client leaving is recorded', async () => {
  const ex = await exchange(mock.url, CHAT, chat('m~hang'), { abortAfterMs: 400 });
  assert.equal(ex.status, undefined);
  assert.equal(ex.error, 'timeout');
  await waitFor(() => last().closedByClient, 3000, 'closedByClient');
  assert.equal(last().outcome, 'hang');
});

test('content and finishReason override the answer', async () => {
  const res = json<{ choices: { message: { content: string }; finish_reason: string }[]; usage: { completion_tokens: number } }>(
    await call(mock.url, CHAT, { body: chat('m~content=Hi%20you~finishReason=length~chunks=2') }),
  );
  assert.equal(res.choices[0].message.content, 'Hi you');
  assert.equal(res.choices[0].finish_reason, 'length');
  assert.equal(res.usage.completion_tokens, 2);
  const stream = events((await call(mock.url, CHAT, { body: chat('m~finishReason=length', true) })).text).list;
  assert.match(stream.at(-2)!.data, /"finish_reason":"length"/);
});

test('noUsage omits usage everywhere, even when the stream asked for it', async () => {
  const whole = json<{ usage?: unknown }>(await call(mock.url, CHAT, { body: chat('m~noUsage') }));
  assert.equal(whole.usage, undefined);
  const body = { ...chat('m~noUsage', true), stream_options: { include_usage: true } };
  const list = events((await call(mock.url, CHAT, { body })).text).list;
  assert.equal(list.length, FRAMES);
  assert.ok(list.slice(0, -1).every((e) => (JSON.parse(e.data) as { usage: unknown }).usage === null));
  const emb = json<{ usage?: unknown }>(await call(mock.url, '/v1/embeddings', { body: { model: 'e~noUsage', input: 'x' } }));
  assert.equal(emb.usage, undefined);
});

test('the client leaving during a delay stops the work and is recorded', async () => {
  const ex = await exchange(mock.url, CHAT, chat('m~delayMs=5000'), { abortAfterMs: 300 });
  assert.equal(ex.error, 'timeout');
  await waitFor(() => last().closedByClient, 3000, 'closedByClient');
  const mid = await exchange(mock.url, CHAT, chat('m~chunkDelayMs=5000', true), { abortAfterMs: 800 });
  assert.equal(events(bodyText(mid)).list.length, 1);
  await waitFor(() => last().closedByClient, 3000, 'closedByClient');
  assert.equal(last().outcome, 'ok');
});
