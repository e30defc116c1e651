import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { startMockUpstream, type Attempt, type MockUpstream } from './server.js';
import { call, events, exchange, json, pause, waitFor } from './test-client.js';
import { DirectiveError } from './directives.js';

let mock: MockUpstream;
before(async () => {
  mock = await startMockUpstream({ port: 0 });
});
after(() => mock.close());
beforeEach(() => {
  mock.clearScripts();
  mock.resetAttempts();
});

const CHAT = '/v1/chat/completions';
const chat = (model: string): Record<string, unknown> => ({ model, messages: [{ role: 'user', content: 'hi' }] });

test('listens on loopback with a random port and reports its url', () => {
  assert.ok(mock.port > 0);
  assert.equal(mock.url, `http://127.0.0.1:${mock.port}`);
});

test('precedence: queued step, then header, then model suffix (by source, not per key)', async () => {
  mock.script({ steps: [{ status: 500 }, {}] });
  const headers = { 'x-mock-script': 'status=429' };
  assert.equal((await call(mock.url, CHAT, { body: chat('m~status=503'), headers })).status, 500);
  // The empty step means a normal answer even though header and suffix ask for errors.
  assert.equal((await call(mock.url, CHAT, { body: chat('m~status=503'), headers })).status, 200);
  assert.equal((await call(mock.url, CHAT, { body: chat('m~status=503'), headers })).status, 429);
  assert.equal((await call(mock.url, CHAT, { body: chat('m~status=503~retryAfter=1') })).status, 503);
  assert.equal((await call(mock.url, CHAT, { body: chat('m') })).status, 200);
  assert.deepEqual(mock.attempts().map((a) => a.directives), [{ status: 500 }, {}, { status: 429 }, { status: 503, retryAfter: 1 }, {}]);
});

test('scripts match on the model without its suffix and on the path', async () => {
  mock.script({ match: { model: 'primary' }, steps: [{ status: 503 }], repeat: true });
  mock.script({ match: { path: '/v1/messages' }, steps: [{ status: 529 }] });
  assert.equal((await call(mock.url, CHAT, { body: chat('primary~chunks=2') })).status, 503);
  assert.equal((await call(mock.url, CHAT, { body: chat('primary') })).status, 503);
  assert.equal((await call(mock.url, CHAT, { body: chat('fallback') })).status, 200);
  const anth = await call(mock.url, '/v1/messages', { body: { ...chat('claude'), max_tokens: 5 } });
  assert.equal(anth.status, 529);
  assert.equal(json<{ type: string }>(anth).type, 'error');
  assert.throws(() => mock.script({ steps: [] }), DirectiveError);
  mock.clearScripts();
  assert.equal((await call(mock.url, CHAT, { body: chat('primary') })).status, 200);
});

test('attempt log records what the upstream received', async () => {
  const t0 = performance.timeOrigin + performance.now();
  await call(mock.url, '/openai/deployments/dep/chat/completions?api-version=2024-10-21', {
    body: { messages: [{ role: 'user', content: 'hi' }], stream: true },
    headers: { Authorization: 'Bearer sk-test', 'X-Custom': 'yes' },
  });
  await pause(50);
  await call(mock.url, CHAT, { body: chat('gpt~noUsage') });
  const [a, b] = mock.attempts();
  assert.equal(a.seq, 1);
  assert.equal(b.seq, 2);
  assert.ok(a.time >= t0 - 1 && a.time <= Date.now() + 1);
  assert.ok(b.time - a.time >= 45, `gap ${b.time - a.time}`);
  assert.equal(a.method, 'POST');
  assert.equal(a.path, '/openai/deployments/dep/chat/completions');
  assert.equal(a.query, 'api-version=2024-10-21');
  assert.equal(a.model, 'dep');
  assert.equal(a.stream, true);
  assert.equal(a.headers.authorization, 'Bearer sk-test');
  assert.equal(a.headers['x-custom'], 'yes');
  assert.equal(a.bodyBytes, Buffer.byteLength(JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], stream: true })));
  assert.deepEqual(a.body, { messages: [{ role: 'user', content: 'hi' }], stream: true });
  assert.deepEqual([a.outcome, a.closedByClient], ['ok', false]);
  assert.deepEqual([b.model, b.stream, b.directives], ['gpt', false, { noUsage: true }]);
});

test('closedByClient is set only when the client leaves before the mock finished', async () => {
  await exchange(mock.url, CHAT, chat('m~delayMs=3000'), { abortAfterMs: 300 });
  await waitFor(() => mock.attempts()[0]?.closedByClient === true, 3000, 'closedByClient');
  await call(mock.url, CHAT, { body: chat('m') });
  assert.deepEqual(mock.attempts().map((a) => a.closedByClient), [true, false]);
});

test('bad directives are a 400 in the route dialect with code mock_bad_directive', async () => {
  const openai = await call(mock.url, CHAT, { body: chat('m'), headers: { 'x-mock-script': 'stauts=500' } });
  assert.equal(openai.status, 400);
  assert.equal(json<{ error: { code: string; message: string } }>(openai).error.code, 'mock_bad_directive');
  assert.match(json<{ error: { message: string } }>(openai).error.message, /stauts/);
  const anth = await call(mock.url, '/v1/messages', { body: { ...chat('c~chunks=x'), max_tokens: 1 } });
  assert.equal(json<{ error: { type: string } }>(anth).error.type, 'mock_bad_directive');
  assert.equal(mock.attempts().at(-1)?.outcome, 'error');
  assert.equal(mock.attempts().at(-1)?.model, 'c');
});

test('unknown paths are 404 and bodies that are not JSON objects are 400; both are logged', async () => {
  const missing = await call(mock.url, '/v2/whatever', { body: {} });
  assert.equal(missing.status, 404);
  assert.equal(json<{ error: { code: string } }>(missing).error.code, 'not_found');
  const broken = await call(mock.url, CHAT, { body: '{"model": "m", ' });
  assert.equal(broken.status, 400);
  assert.equal(json<{ error: { code: string } }>(broken).error.code, 'invalid_json');
  assert.equal((await call(mock.url, CHAT, { body: '[1,2]' })).status, 400);
  assert.equal((await call(mock.url, CHAT, { method: 'POST', body: '' })).status, 400);
  const cf = await call(mock.url, '/client/v4/accounts/a/ai/run/@cf/x/y', { body: 'nope' });
  assert.equal(json<{ success: boolean }>(cf).success, false);
  assert.deepEqual(mock.attempts().map((a) => a.outcome), ['error', 'error', 'error', 'error', 'error']);
  assert.equal(mock.attempts()[0].path, '/v2/whatever');
  // Such requests neither consume a queued step nor follow directives.
  mock.script({ steps: [{ status: 503 }] });
  assert.equal((await call(mock.url, '/v2/whatever', { body: {}, headers: { 'x-mock-script': 'hang' } })).status, 404);
  assert.equal((await call(mock.url, CHAT, { body: 'x' })).status, 400);
  assert.equal((await call(mock.url, CHAT, { body: chat('m') })).status, 503);
});

test('HTTP control API: scripts and attempts from another process', async () => {
  const added = await call(mock.url, '/__mock/scripts', { body: [{ match: { model: 'x' }, steps: [{ status: 502 }] }, { steps: [{ chunks: 1 }] }] });
  assert.equal(added.status, 201);
  assert.deepEqual(json(added), { ok: true, scripts: 2 });
  const single = await call(mock.url, '/__mock/scripts', { body: { steps: [{ status: 418 }] } });
  assert.deepEqual(json(single), { ok: true, scripts: 3 });
  assert.equal((await call(mock.url, CHAT, { body: chat('x') })).status, 502);
  const cleared = await call(mock.url, '/__mock/scripts', { method: 'DELETE' });
  assert.deepEqual(json(cleared), { ok: true });
  assert.equal((await call(mock.url, CHAT, { body: chat('y') })).status, 200);
  const list = json<Attempt[]>(await call(mock.url, '/__mock/attempts'));
  assert.deepEqual(list.map((a) => [a.seq, a.model, a.outcome]), [[1, 'x', 'error'], [2, 'y', 'ok']]);
  assert.deepEqual(json(await call(mock.url, '/__mock/attempts', { method: 'DELETE' })), { ok: true });
  assert.deepEqual(json(await call(mock.url, '/__mock/attempts')), []);
});

test('HTTP control API rejects invalid scripts atomically and unknown endpoints', async () => {
  const bad = await call(mock.url, '/__mock/scripts', { body: [{ steps: [{}] }, { steps: [{ nope: true }] }] });
  assert.equal(bad.status, 400);
  assert.match(json<{ error: { message: string } }>(bad).error.message, /unknown directive "nope"/);
  assert.equal((await call(mock.url, '/__mock/scripts', { body: 'not json' })).status, 400);
  assert.equal((await call(mock.url, CHAT, { body: chat('m'), headers: {} })).status, 200);
  assert.equal(mock.attempts().at(-1)?.directives.status, undefined);
  assert.equal((await call(mock.url, '/__mock/nothing')).status, 404);
  assert.equal(mock.attempts().length, 1);
});

test('a repeated x-mock-script header is joined into one list', async () => {
  const body = JSON.stringify(chat('m'));
  const head = `POST ${CHAT} HTTP/1.1\r\nhost: mock\r\nx-mock-script: status=500\r\nx-mock-script: retryAfter=3\r\n`;
  const raw = await new Promise<string>((resolve, reject) => {
    const socket = connect(mock.port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
    socket.end(`${head}content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });
  assert.match(raw, /^HTTP\/1\.1 500 /);
  assert.match(raw, /\r\nretry-after: 3\r\n/);
  assert.deepEqual(mock.attempts().at(-1)?.directives, { status: 500, retryAfter: 3 });
});

test('a client that leaves mid-upload does not disturb the mock', async () => {
  await new Promise<void>((resolve) => {
    const req = httpRequest(`${mock.url}${CHAT}`, { method: 'POST', headers: { 'content-length': '1000' } });
    req.on('error', () => resolve());
    req.write('{"model":');
    setTimeout(() => {
      req.destroy();
      resolve();
    }, 30);
  });
  await pause(50);
  assert.equal((await call(mock.url, CHAT, { body: chat('m') })).status, 200);
  assert.equal(mock.attempts().length, 1);
});

test('the attempt log is a bounded ring', async () => {
  const small = await startMockUpstream({ attemptLogSize: 2 });
  try {
    for (let i = 0; i < 3; i++) await call(small.url, CHAT, { body: chat(`m${i}`) });
    assert.deepEqual(small.attempts().map((a) => a.model), ['m1', 'm2']);
  } finally {
    await small.close();
  }
});

test('close() ends hanging and stalled requests promptly and is idempotent', async () => {
  const other = await startMockUpstream();
  const hung = exchange(other.url, CHAT, chat('m~hang'), { abortAfterMs: 10_000 });
  const stalled = exchange(other.url, CHAT, { ...chat('m~stallAfter=1'), stream: true }, { abortAfterMs: 10_000 });
  await waitFor(() => other.attempts().length === 2, 3000, 'both requests');
  const started = Date.now();
  await Promise.all([other.close(), other.close()]);
  const [h, s] = await Promise.all([hung, stalled]);
  assert.ok(Date.now() - started < 2000);
  assert.ok(h.error && h.error !== 'timeout', String(h.error));
  assert.ok(s.error && s.error !== 'timeout', String(s.error));
  assert.equal(events(Buffer.concat(s.chunks)).list.length, 1);
  assert.deepEqual(other.attempts().map((a) => [a.outcome, a.closedByClient]), [['hang', false], ['stall', false]]);
});
