import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { TcpFaultProxy } from '../testing/tcp-fault-proxy.js';
import { openStateConnection, RedisConnection } from './redis-connection.js';
import { redisTestUrl } from './redis-test-url.js';

const target = new URL(redisTestUrl());
const opened: RedisConnection[] = [];
after(async () => { await Promise.all(opened.map((c) => c.close())); });

async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('memory:// opens no connection; redis:// does', () => {
  assert.equal(openStateConnection('memory://'), undefined);
  const c = openStateConnection(redisTestUrl());
  assert.ok(c instanceof RedisConnection);
  opened.push(c!);
});

test('a reachable Redis reports up with a latency', async () => {
  const c = new RedisConnection(redisTestUrl());
  opened.push(c);
  await until(() => c.ready);
  const h = await c.check();
  assert.equal(h.status, 'up');
  assert.ok(typeof h.latencyMs === 'number' && h.latencyMs >= 0);
});

test('an outage fails fast, reports down, and recovers without a new connection object', async () => {
  const proxy = await TcpFaultProxy.start(target.hostname, Number(target.port || 6379));
  const c = new RedisConnection(`redis://127.0.0.1:${proxy.port}`, { maxReconnectDelayMs: 100 });
  opened.push(c);
  try {
    await until(() => c.ready);
    proxy.setMode('refuse');
    await until(() => !c.ready);
    const t0 = Date.now();
    await assert.rejects(c.client.get('tollgate:test:x'));
    assert.ok(Date.now() - t0 < 1_000, 'commands do not wait for a reconnect');
    assert.equal((await c.check()).status, 'down');
    proxy.setMode('forward');
    await until(() => c.ready);
    assert.equal((await c.check()).status, 'up');
  } finally {
    await c.close();
    await proxy.close();
  }
});

test('a connection that stays open but stops answering is replaced, and works once the network heals', async () => {
  const proxy = await TcpFaultProxy.start(target.hostname, Number(target.port || 6379));
  const c = new RedisConnection(`redis://127.0.0.1:${proxy.port}`, { maxReconnectDelayMs: 100, commandTimeoutMs: 100, heartbeatMs: 100 });
  opened.push(c);
  try {
    await until(() => c.ready);
    proxy.setMode('blackhole'); // the open connection swallows every byte from now on
    await until(() => c.replaced > 0);
    proxy.setMode('forward');
    await until(() => c.ready);
    // A fresh connection answers again; the swallowed one never would have.
    assert.equal(await c.client.ping(), 'PONG');
    assert.equal((await c.check()).status, 'up');
  } finally {
    await c.close();
    await proxy.close();
  }
});
