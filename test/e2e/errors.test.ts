/**
 * End-to-end error behaviour: bad input is refused at the edge with the right status and code
 * and never reaches the upstream (B1–B4, B8, B9); provider failures surface as the SDK's typed
 * errors with OpenAI-shaped bodies and stable codes; credentials never cross to the provider.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import OpenAI from 'openai';
import { CHAT_MODELS, startHarness, type Harness } from './harness.js';
import { postJson, raw } from './http-client.js';

let h: Harness;
before(async () => { h = await startHarness({ config: () => ({ server: { bodyLimitMb: 1, drainMs: 1000 } }) }); });
after(async () => { await h.close(); });
beforeEach(() => h.mock.resetAttempts());

const chat = (model = CHAT_MODELS.openai) => ({ model, messages: [{ role: 'user' as const, content: 'hi' }] });

function assertErrorShape(body: Record<string, unknown>, code: string): void {
  const err = body.error as Record<string, unknown>;
  assert.equal(err.code, code);
  assert.equal(typeof err.message, 'string');
  assert.equal(typeof err.type, 'string');
  assert.ok('param' in err);
  assert.equal(typeof body.request_id, 'string');
}

describe('bad input never reaches the upstream', () => {
  const cases: Array<[string, string | Buffer, string, number, string]> = [
    ['truncated JSON', '{"model":"openai/gpt-4o-mini","messages":[', 'application/json', 400, 'invalid_json'],
    ['trailing garbage', '{"model":"x"} trailing', 'application/json', 400, 'invalid_json'],
    ['empty body', '', 'application/json', 400, 'invalid_json'],
    ['top-level array', '[1,2,3]', 'application/json', 400, 'invalid_json'],
    ['deep nesting', `${'['.repeat(5000)}${']'.repeat(5000)}`, 'application/json', 400, 'invalid_json'],
    ['wrong content type', JSON.stringify(chat()), 'text/plain', 415, 'unsupported_media_type'],
    ['form content type', 'model=x', 'application/x-www-form-urlencoded', 415, 'unsupported_media_type'],
  ];
  for (const [name, body, type, status, code] of cases) {
    test(name, async () => {
      const r = await raw(`${h.gateway.url}/v1/chat/completions`, { headers: { 'content-type': type }, body });
      assert.equal(r.status, status);
      assertErrorShape(r.json(), code);
      assert.equal(h.mock.attempts().length, 0);
    });
  }

  test('a body over the limit gets 413, with and without content-length', async () => {
    const big = JSON.stringify({ ...chat(), pad: 'x'.repeat(1_200_000) });
    const r = await raw(`${h.gateway.url}/v1/chat/completions`, { headers: { 'content-type': 'application/json' }, body: big });
    assert.equal(r.status, 413);
    assertErrorShape(r.json(), 'payload_too_large');
    const chunked = await raw(`${h.gateway.url}/v1/chat/completions`, {
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(big),
    });
    assert.equal(chunked.status, 413);
    assert.equal(h.mock.attempts().length, 0);
  });

  test('a chunked body over the limit gets 413 before the client has sent it all (B2)', async () => {
    const url = new URL(`${h.gateway.url}/v1/chat/completions`);
    const most = 32 * 1024 * 1024;
    const result = await new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let sent = 0;
      let answered = false;
      req.on('response', (res) => {
        answered = true;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => { body += d; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sent }));
      });
      // Once answered, the gateway may close the connection under a write still in flight.
      req.on('error', (err) => { if (!answered) reject(err); });
      req.write(`{"model":"${CHAT_MODELS.openai}","messages":[{"role":"user","content":"`);
      const pump = (): void => {
        while (!answered && sent < most) {
          sent += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        if (!answered) req.end('"}]}');
      };
      pump();
    });
    assert.equal(result.status, 413);
    assertErrorShape(JSON.parse(result.body) as Record<string, unknown>, 'payload_too_large');
    // Refused while the client was still sending: the gateway stopped at its 1 MiB limit instead
    // of reading 32 MiB (what got written includes the sockets' buffers, hence the slack).
    assert.ok(result.sent < most / 2, `sent ${result.sent} bytes before the answer`);
    assert.equal(h.mock.attempts().length, 0);
  });

  const invalid: Array<[string, Record<string, unknown>, string]> = [
    ['negative max_tokens', { ...chat(), max_tokens: -1 }, 'max_tokens'],
    ['huge max_tokens', { ...chat(), max_tokens: 10_000_000_000 }, 'max_tokens'],
    ['n=1000', { ...chat(), n: 1000 }, 'n'],
    ['empty messages', { model: CHAT_MODELS.openai, messages: [] }, 'messages'],
    ['missing model', { messages: [{ role: 'user', content: 'x' }] }, 'model'],
  ];
  for (const [name, body, param] of invalid) {
    test(`invalid parameter: ${name}`, async () => {
      const r = await postJson(`${h.gateway.url}/v1/chat/completions`, body);
      assert.equal(r.status, 400);
      assertErrorShape(r.json(), 'invalid_request');
      assert.equal((r.json().error as Record<string, unknown>).param, param);
      assert.equal(h.mock.attempts().length, 0);
    });
  }

  test('prototype pollution keys are stripped and Object.prototype stays clean', async () => {
    const body = `{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted2":true}}}`;
    const r = await raw(`${h.gateway.url}/v1/chat/completions`, { headers: { 'content-type': 'application/json' }, body });
    assert.equal(r.status, 200);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(({} as Record<string, unknown>).polluted2, undefined);
    const forwarded = h.mock.attempts()[0];
    assert.ok(forwarded);
  });

  test('unknown model or provider is a 404 model_not_found, never a silent default', async () => {
    for (const model of ['nosuch/gpt-4o', 'gpt-4o', 'openai/']) {
      const r = await postJson(`${h.gateway.url}/v1/chat/completions`, chat(model));
      assert.equal(r.status, 404, model);
      assertErrorShape(r.json(), 'model_not_found');
    }
    assert.equal(h.mock.attempts().length, 0);
  });

  test('unknown paths are an OpenAI-shaped 404', async () => {
    const r = await raw(`${h.gateway.url}/v2/nothing`, { method: 'GET' });
    assert.equal(r.status, 404);
    assertErrorShape(r.json(), 'route_not_found');
  });
});

describe('provider failures reach the SDK as typed errors', () => {
  test('upstream 429 → RateLimitError with Retry-After', async () => {
    const err = await h.client.chat.completions.create(chat(`${CHAT_MODELS.openai}~status=429~retryAfter=7`)).catch((e: unknown) => e);
    assert.ok(err instanceof OpenAI.RateLimitError);
    assert.equal(err.headers?.get('retry-after'), '7');
    assert.equal(err.code, 'upstream_rate_limited');
  });

  test('upstream 400 context length → BadRequestError with the provider code, one attempt', async () => {
    const model = `${CHAT_MODELS.openai}~status=400~errorCode=context_length_exceeded`;
    const err = await h.client.chat.completions.create(chat(model)).catch((e: unknown) => e);
    assert.ok(err instanceof OpenAI.BadRequestError);
    assert.equal(err.code, 'context_length_exceeded');
    assert.equal(h.mock.attempts().length, 1);
  });

  test('upstream 500 → 502 upstream_server_error (InternalServerError)', async () => {
    const err = await h.client.chat.completions.create(chat(`${CHAT_MODELS.anthropic}~status=500`)).catch((e: unknown) => e);
    assert.ok(err instanceof OpenAI.InternalServerError);
    assert.equal(err.status, 502);
    assert.equal(err.code, 'upstream_server_error');
  });

  test('upstream 401 is the gateway\'s problem: 502 without the provider text', async () => {
    const r = await postJson(`${h.gateway.url}/v1/chat/completions`, chat(`${CHAT_MODELS.openai}~status=401~errorMessage=Incorrect API key sk-test-openai-key`));
    assert.equal(r.status, 502);
    assertErrorShape(r.json(), 'upstream_auth_failed');
    assert.ok(!r.text.includes('sk-test-openai-key'));
  });

  test('unreachable provider → fast 502 upstream_unreachable', async () => {
    const started = performance.now();
    const err = await h.client.chat.completions.create(chat('dead/gpt-4o')).catch((e: unknown) => e);
    assert.ok(err instanceof OpenAI.APIError);
    assert.equal(err.status, 502);
    assert.equal(err.code, 'upstream_unreachable');
    assert.ok(performance.now() - started < 2000);
  });
});

describe('credentials and headers', () => {
  test('the client Authorization never reaches the provider in managed mode', async () => {
    await h.client.chat.completions.create(chat());
    const a = h.mock.attempts()[0];
    assert.equal(a.headers.authorization, 'Bearer sk-test-openai-key');
    assert.ok(!JSON.stringify(a.headers).includes('client-side-key'));
  });

  test('anthropic gets x-api-key and a version, not a bearer token', async () => {
    await h.client.chat.completions.create(chat(CHAT_MODELS.anthropic));
    const a = h.mock.attempts()[0];
    assert.equal(a.headers['x-api-key'], 'sk-ant-test-key');
    assert.ok(a.headers['anthropic-version']);
    assert.equal(a.headers.authorization, undefined);
  });

  test('a sane incoming x-request-id is echoed; an unsafe one is replaced', async () => {
    const ok = await postJson(`${h.gateway.url}/v1/chat/completions`, chat(), { 'x-request-id': 'req-abc-12345' });
    assert.equal(ok.headers['x-request-id'], 'req-abc-12345');
    const bad = await postJson(`${h.gateway.url}/v1/chat/completions`, chat(), { 'x-request-id': 'x y<script>' });
    assert.notEqual(bad.headers['x-request-id'], 'x y<script>');
  });
});

describe('odd bytes and headers', () => {
  test('invalid UTF-8 and NUL in content and user are replaced consistently and still answered', async () => {
    const head = Buffer.from('{"model":"openai/gpt-4o-mini","user":"u\\u0000ser","messages":[{"role":"user","content":"bad ');
    const tail = Buffer.from(' and nul \\u0000 end"}]}');
    const body = Buffer.concat([head, Buffer.from([0xc3, 0x28, 0xff]), tail]);
    const r = await raw(`${h.gateway.url}/v1/chat/completions`, { headers: { 'content-type': 'application/json' }, body });
    assert.equal(r.status, 200);
    const a = h.mock.attempts()[0];
    assert.ok(a.bodyBytes > 0);
  });

  test('oversized headers are refused by the server and the process stays up', async () => {
    const r = await raw(`${h.gateway.url}/v1/chat/completions`, {
      headers: { 'content-type': 'application/json', 'x-big': 'y'.repeat(20_000) },
      body: JSON.stringify(chat()),
    });
    assert.equal(r.status, 431);
    assert.equal((r.json().error as { code: string }).code, 'headers_too_large');
    const ok = await postJson(`${h.gateway.url}/v1/chat/completions`, chat());
    assert.equal(ok.status, 200);
  });

  test('hop-by-hop request headers on the OpenAI API never reach the provider', async () => {
    await postJson(`${h.gateway.url}/v1/chat/completions`, chat(), { 'proxy-authorization': 'Basic x', 'x-forwarded-for': '1.2.3.4', cookie: 'a=b' });
    const a = h.mock.attempts()[0];
    for (const name of ['proxy-authorization', 'x-forwarded-for', 'cookie']) assert.equal(a.headers[name], undefined, name);
  });
});

describe('methods', () => {
  test('GET on an OpenAI POST endpoint is a 405 with Allow: POST', async () => {
    const r = await raw(`${h.gateway.url}/v1/chat/completions`, { method: 'GET' });
    assert.equal(r.status, 405);
    assert.equal(r.headers.allow, 'POST');
    assert.equal((r.json().error as { code: string }).code, 'method_not_allowed');
  });
});
