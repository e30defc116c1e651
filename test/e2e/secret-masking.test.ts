/**
 * S7 through real failures rather than the sanitizer alone: a gateway whose PostgreSQL log store
 * and Redis state store both fail (nothing listens on their ports), with passwords in their
 * URLs, an admin key and a client key configured. Whatever the
 * gateway answers, logs or reports on /health while those stores fail carries none of them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { startHarness, type Harness } from './harness.js';
import { postJson, raw } from './http-client.js';

const PG_PASSWORD = 'pg-secret-pass-7f3a9c';
const REDIS_PASSWORD = 'redis-secret-pass-4b8e21';
const ADMIN = 'adm-secret-key-0123456789abcdef';
const KEY = 'tg-client-secret-0123456789abcdef';
const SECRETS = [PG_PASSWORD, REDIS_PASSWORD, ADMIN, KEY];

const logs: string[] = [];
let h: Harness;

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function assertNoSecret(where: string, text: string): void {
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `${where} contains a secret: ${text.slice(0, 300)}`);
}

before(async () => {
  const pgPort = await closedPort();
  const redisPort = await closedPort();
  h = await startHarness({
    logger: pino({ level: 'debug' }, new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } })),
    config: () => ({
      storage: `postgres://tollgate:${PG_PASSWORD}@127.0.0.1:${pgPort}/test`,
      state: `redis://:${REDIS_PASSWORD}@127.0.0.1:${redisPort}`,
      admin: { apiKey: ADMIN },
      keys: [{ name: 's7', tenant: 'acme', key: KEY, budget: { daily: 1 } }],
    }),
  });
});
after(async () => { await h.close(); });

test('S7: failing stores with secrets in their URLs leak them nowhere', async () => {
  const answers: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await postJson(`${h.gateway.url}/v1/chat/completions`, { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, { authorization: `Bearer ${KEY}` });
    answers.push(`${r.status} ${JSON.stringify(r.headers)} ${r.text}`);
  }
  // Budgets fail closed while the state store is unusable (docs/access-control.md).
  assert.match(answers[0], /^503 /);
  for (const a of answers) assertNoSecret('an answer', a);
  const wrongKey = await postJson(`${h.gateway.url}/v1/chat/completions`, { model: 'openai/gpt-4o-mini', messages: [] }, { authorization: `Bearer ${KEY}x` });
  assertNoSecret('a refusal', wrongKey.text);
  for (const path of ['/health', '/health/ready', '/api/logs?limit=5', '/api/gateway/metrics?window=1h', '/metrics']) {
    const r = await raw(`${h.gateway.url}${path}`, { method: 'GET', headers: { authorization: `Bearer ${ADMIN}` } });
    assertNoSecret(path, r.text);
  }
  const health = await raw(`${h.gateway.url}/health`, { method: 'GET', headers: { authorization: `Bearer ${ADMIN}` } });
  assert.notEqual((health.json() as { status: string }).status, 'healthy', 'the failing stores show on /health');
  await h.gateway.services.events.flush().catch(() => undefined);
  assert.ok(logs.some((l) => l.includes('ECONNREFUSED')), 'the store failures were logged');
  assertNoSecret('the process log', logs.join(''));
});
