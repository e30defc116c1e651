// Tests for redis-breaker-store.ts against the real Redis (REDIS_URL; fails, never skips, when
// unreachable): the shared BreakerStore contract, the probe race between two replicas (two
// separate connections, many rounds of truly concurrent admits), and the pruning primitives.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { breakerStoreContract } from './breaker-store-contract.js';
import { RedisBreakerStore, parseRecord } from './redis-breaker-store.js';
import { redisTestPrefix, redisTestUrl } from '../stores/redis/redis-test-url.js';

// Tests may open their own clients; production code uses the shared RedisConnection.
const a = new Redis(redisTestUrl(), { maxRetriesPerRequest: 1 });
const b = new Redis(redisTestUrl(), { maxRetriesPerRequest: 1 });
after(() => { a.disconnect(); b.disconnect(); });
let n = 0;

breakerStoreContract('redis', () => new RedisBreakerStore(a, redisTestPrefix(`breakers-${n++}`)));

const cfg = { failureThreshold: 2, cooldownMs: 1_000 };

test('two replicas racing for the half-open probe: exactly one wins, every round', async () => {
  const prefix = redisTestPrefix('breaker-race');
  const replicaA = new RedisBreakerStore(a, prefix);
  const replicaB = new RedisBreakerStore(b, prefix);
  for (let round = 0; round < 20; round++) {
    const key = `race-${round}`;
    await replicaA.recordFailure(key, 0, cfg);
    await replicaB.recordFailure(key, 0, cfg);
    assert.equal((await replicaB.read(key)).state, 'open', 'failures from both replicas add up');
    const admits = await Promise.all([replicaA, replicaB, replicaA, replicaB, replicaA, replicaB].map((s) => s.admit(key, 1_000, cfg)));
    assert.equal(admits.filter((r) => r.admission === 'half-open-probe').length, 1, `round ${round}`);
    assert.equal(admits.filter((r) => r.admission === 'open').length, 5);
  }
});

test('all() lists only non-pristine breakers; forget() deletes only an unchanged record', async () => {
  const store = new RedisBreakerStore(a, redisTestPrefix('breaker-all'));
  await store.recordFailure('failing', 10, cfg);
  await store.recordFailure('healed', 10, cfg);
  await store.recordSuccess('healed', 20, cfg);
  await store.admit('never-failed', 20, cfg);
  const all = await store.all();
  assert.deepEqual([...all.keys()], ['failing']);
  const seen = all.get('failing')!;
  assert.deepEqual(seen.record, { state: 'closed', failures: 1, openedAt: 0, probeAt: 0 });
  assert.equal(seen.touchedAt, 10);
  await store.recordFailure('failing', 30, cfg); // another replica moves it on
  assert.equal(await store.forget('failing', seen.raw), false, 'a changed record survives');
  assert.equal((await store.read('failing')).state, 'open');
  const now = (await store.all()).get('failing')!;
  assert.equal(await store.forget('failing', now.raw), true);
  assert.equal((await store.all()).size, 0);
});

test('parseRecord rejects anything that is not a breaker record', () => {
  assert.equal(parseRecord('open 1 2 3'), undefined);
  assert.equal(parseRecord('weird 1 2 3 4'), undefined);
  assert.deepEqual(parseRecord('half-open 5 100 200 300'), { record: { state: 'half-open', failures: 5, openedAt: 100, probeAt: 200 }, touchedAt: 300 });
});
