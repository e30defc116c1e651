/**
 * Overload and slow clients, end to end (L5, F9). A gateway with a small in-flight cap: the
 * admitted requests finish normally while the excess is refused at once with 503 `overloaded`
 * and `Retry-After`, liveness stays ok, readiness turns degraded, and the refusals are counted
 * in the metrics. Slow-loris clients (headers or body dribbled) are disconnected by the header
 * and request timeouts, and the server's connection count returns to its baseline.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { request } from 'undici';
import { startHarness, type Harness } from './harness.js';
import { postJson } from './http-client.js';

let h: Harness;
before(async () => {
  h = await startHarness({ config: () => ({ server: { drainMs: 2000, maxInFlight: 4, headersTimeoutMs: 1000, requestTimeoutMs: 1500 } }) });
});
after(async () => { await h.close(); });

const url = (p: string): string => `${h.gateway.url}${p}`;
const chat = (model: string) => ({ model, messages: [{ role: 'user', content: 'hi' }] });

describe('load shedding (L5)', () => {
  test('excess requests get a fast 503 overloaded; admitted ones complete; live ok, ready degraded', async () => {
    const slow = Array.from({ length: 4 }, () => postJson(url('/v1/chat/completions'), chat('openai/gpt-4o-mini~delayMs=1500')));
    await new Promise((r) => setTimeout(r, 300)); // the four are in flight
    const refused = await Promise.all(Array.from({ length: 10 }, () => postJson(url('/v1/chat/completions'), chat('openai/gpt-4o-mini'))));
    for (const r of refused) {
      assert.equal(r.status, 503);
      assert.equal(r.headers['retry-after'], '1');
      assert.equal((r.json().error as { code: string }).code, 'overloaded');
    }
    const live = await request(url('/health/live'));
    assert.equal(live.statusCode, 200);
    await live.body.dump();
    const ready = await request(url('/health/ready'));
    assert.equal(ready.statusCode, 503);
    assert.equal(((await ready.body.json()) as { shedding: boolean }).shedding, true);
    const done = await Promise.all(slow);
    assert.deepEqual(done.map((r) => r.status), [200, 200, 200, 200], 'admitted requests were not disturbed');
    const metrics = await request(url('/metrics'));
    assert.match(await metrics.body.text(), /ai_gateway_shed_requests_total\{reason="in_flight"\} 10/);
  });
});

function openSocket(): Promise<Socket> {
  const u = new URL(h.gateway.url);
  return new Promise((resolve, reject) => {
    const s = connect(Number(u.port), u.hostname, () => resolve(s));
    s.on('error', reject);
  });
}

function connections(): Promise<number> {
  return new Promise((resolve) => h.gateway.server().getConnections((_e, n) => resolve(n)));
}

describe('slow clients (F9)', () => {
  test('headers dribbled past headersTimeoutMs, or a body past requestTimeoutMs: the server drops the connection', async () => {
    const baseline = await connections();
    // Like a real slow-loris, these clients never read what the server sends.
    const headers = await openSocket();
    headers.pause();
    headers.write('POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n');
    const body = await openSocket();
    body.pause();
    body.write('POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"model":');
    headers.on('error', () => undefined);
    body.on('error', () => undefined);
    const drip = setInterval(() => { if (!headers.destroyed) headers.write('x-a: b\r\n'); }, 200);
    try {
      assert.equal(await connections(), baseline + 2);
      let now = baseline + 2;
      for (let i = 0; i < 120 && now > baseline; i++) {
        await new Promise((r) => setTimeout(r, 50));
        now = await connections();
      }
      assert.equal(now, baseline, 'both slow connections were dropped by the server');
    } finally {
      clearInterval(drip);
      headers.destroy();
      body.destroy();
    }
  });

  test('a timed-out request is answered 408 request_timeout', async () => {
    const s = await openSocket();
    s.write('POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n');
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      s.on('data', (d: Buffer) => { text += d.toString(); });
      s.on('close', () => resolve(text));
      s.on('error', () => undefined);
    });
    assert.match(answer, /^HTTP\/1\.1 408 /);
    assert.match(answer, /"code":"request_timeout"/);
  });
});
