// Unit tests for circuit-breaker.ts over the memory store with a hand-driven clock, following
// F4: the breaker opens after the configured consecutive failures, rejects fast while open,
// admits one probe per cooldown, and lets traffic back after a successful probe; every
// transition reaches onTransition exactly once with its timestamp; gauge values follow the
// state; `available` peeks without claiming the probe; a reload changes thresholds but keeps
// state; and a throwing listener does not break the caller.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CircuitBreaker, type BreakerTransition } from './circuit-breaker.js';
import { MemoryBreakerStore } from './memory-breaker-store.js';

function setup(onTransition?: (t: BreakerTransition) => void) {
  let t = 1_000;
  const seen: BreakerTransition[] = [];
  const breaker = new CircuitBreaker(new MemoryBreakerStore(), {
    config: { failureThreshold: 3, cooldownMs: 30_000 },
    now: () => t,
    onTransition: onTransition ?? ((x) => seen.push(x)),
  });
  return { breaker, seen, advance: (ms: number) => { t += ms; } };
}

test('F4: opens after N failures, rejects, one probe per cooldown, recovers', async () => {
  const { breaker, seen, advance } = setup();
  for (let i = 0; i < 2; i++) await breaker.onFailure('openai/gpt-4o');
  assert.equal(await breaker.allow('openai/gpt-4o'), 'closed');
  await breaker.onFailure('openai/gpt-4o');
  assert.equal(await breaker.gauge('openai/gpt-4o'), 1);
  advance(29_999);
  assert.equal(await breaker.allow('openai/gpt-4o'), 'open');
  advance(1);
  assert.equal(await breaker.available('openai/gpt-4o'), true);
  assert.equal(await breaker.available('openai/gpt-4o'), true, 'peeking does not claim the probe');
  assert.equal(await breaker.allow('openai/gpt-4o'), 'half-open-probe');
  assert.equal(await breaker.allow('openai/gpt-4o'), 'open', 'second caller rejected');
  assert.equal(await breaker.available('openai/gpt-4o'), false);
  assert.equal(await breaker.gauge('openai/gpt-4o'), 2);
  await breaker.onFailure('openai/gpt-4o');
  advance(30_000);
  assert.equal(await breaker.allow('openai/gpt-4o'), 'half-open-probe');
  await breaker.onSuccess('openai/gpt-4o');
  assert.equal(await breaker.state('openai/gpt-4o'), 'closed');
  assert.equal(await breaker.allow('openai/gpt-4o'), 'closed');
  assert.deepEqual(seen.map((x) => `${x.from}>${x.to}@${x.at}`), [
    'closed>open@1000', 'open>half-open@31000', 'half-open>open@31000', 'open>half-open@61000', 'half-open>closed@61000',
  ]);
  assert.equal(seen[0].key, 'openai/gpt-4o');
  assert.equal(seen[0].failures, 3);
});

test('a reload changes thresholds and keeps learned state', async () => {
  const { breaker } = setup();
  await breaker.onFailure('k');
  breaker.configure({ failureThreshold: 2, cooldownMs: 10 });
  await breaker.onFailure('k');
  assert.equal(await breaker.state('k'), 'open');
});

test('a throwing listener does not fail the caller', async () => {
  const { breaker } = setup(() => { throw new Error('metrics down'); });
  for (let i = 0; i < 3; i++) await breaker.onFailure('k');
  assert.equal(await breaker.state('k'), 'open');
});

test('defaults: threshold 5, no listener needed', async () => {
  const breaker = new CircuitBreaker(new MemoryBreakerStore());
  for (let i = 0; i < 4; i++) await breaker.onFailure('k');
  assert.equal(await breaker.gauge('k'), 0);
  await breaker.onFailure('k');
  assert.equal(await breaker.gauge('k'), 1);
  assert.equal(await breaker.allow('k'), 'open');
});
