import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../errors/gateway-error.js';
import { AbortSwitch } from './abort-switch.js';
import { UpstreamSlots } from './upstream-slots.js';
import { ProviderSlots } from './provider-slots.js';

/** Settles on the next turn: whether a promise has resolved ('done'), rejected (its error) or waits. */
async function state(p: Promise<void>): Promise<'done' | 'waiting' | unknown> {
  return Promise.race([p.then(() => 'done', (e: unknown) => e), new Promise((r) => setImmediate(() => r('waiting')))]);
}

test('slots are taken synchronously up to the cap; then calls queue up to maxQueued and the rest are refused at once', async () => {
  const s = new UpstreamSlots(2, 2, 'provider "p"');
  assert.equal(s.tryAcquire(), true);
  assert.equal(s.tryAcquire(), true);
  assert.equal(s.tryAcquire(), false);
  const a = s.wait(new AbortSwitch());
  const b = s.wait(new AbortSwitch());
  const refused = await state(s.wait(new AbortSwitch()));
  assert.ok(refused instanceof GatewayError);
  assert.equal(refused.code, 'provider_queue_full');
  assert.equal(refused.status, 503);
  assert.equal(refused.retryAfterSeconds, 1);
  assert.equal(refused.retryable, true);
  assert.match(refused.message, /provider "p"/);
  assert.deepEqual([s.active, s.queued, s.refused], [2, 2, 1]);
  assert.equal(await state(a), 'waiting');
  s.release();
  assert.equal(await state(a), 'done', 'a released slot goes to the first waiter');
  assert.equal(await state(b), 'waiting');
  assert.deepEqual([s.active, s.queued], [2, 1]);
  s.release();
  assert.equal(await state(b), 'done');
  s.release();
  s.release();
  assert.deepEqual([s.active, s.queued], [0, 0]);
});

test('first come, first served; a lowered cap bites as calls end, a raised one wakes waiters', async () => {
  const s = new UpstreamSlots(1, 5);
  assert.equal(s.tryAcquire(), true);
  const first = s.wait(new AbortSwitch());
  s.setLimits(0, 5); // a reload lowered the cap: the release must not wake anyone
  s.release();
  assert.equal(await state(first), 'waiting');
  assert.equal(s.tryAcquire(), false);
  const second = s.wait(new AbortSwitch());
  s.setLimits(1, 5); // raised again: the first waiter goes at once
  assert.equal(await state(first), 'done');
  assert.equal(await state(second), 'waiting');
  assert.equal(s.tryAcquire(), false, 'a newcomer does not jump the queue');
});

test('an abort (client gone, deadline) takes a waiter out of the queue at once, from any position', async () => {
  const s = new UpstreamSlots(1, 3);
  s.tryAcquire();
  const signals = [new AbortSwitch(), new AbortSwitch(), new AbortSwitch()];
  const waits = signals.map((sig) => s.wait(sig));
  signals[1].abort('deadline');
  const err = await state(waits[1]);
  assert.ok(err instanceof Error && err.name === 'AbortError');
  assert.equal(s.queued, 2);
  signals[0].abort('client_closed');
  await state(waits[0]);
  s.release();
  assert.equal(await state(waits[2]), 'done', 'the survivor gets the slot');
  assert.deepEqual([s.active, s.queued], [1, 0]);
  signals[2].abort('client_closed'); // after it got its slot: nothing happens
  assert.deepEqual([s.active, s.queued], [1, 0]);
  const late = new AbortSwitch();
  late.abort('deadline');
  assert.ok((await state(s.wait(late))) instanceof Error, 'an already aborted call never queues');
  assert.equal(s.queued, 0);
});

test('maxQueued 0 refuses as soon as every slot is busy', async () => {
  const s = new UpstreamSlots(1, 0);
  s.tryAcquire();
  assert.ok((await state(s.wait(new AbortSwitch()))) instanceof GatewayError);
});

test('ProviderSlots keeps one limiter per provider, applies current limits and defaults, and totals refusals', async () => {
  const slots = new ProviderSlots();
  const a = slots.of('a', { maxConcurrent: 1, maxQueued: 0 });
  assert.equal(slots.of('a', { maxConcurrent: 3, maxQueued: 4 }), a);
  assert.deepEqual([a.maxConcurrent, a.maxQueued], [3, 4]);
  const b = slots.of('b', {});
  assert.deepEqual([b.maxConcurrent, b.maxQueued], [512, 1024]);
  slots.of('a', { maxConcurrent: 1, maxQueued: 0 }).tryAcquire();
  await state(a.wait(new AbortSwitch()));
  assert.equal(slots.refused(), 1);
  assert.deepEqual(slots.snapshot(), { a: { active: 1, queued: 0, refused: 1 }, b: { active: 0, queued: 0, refused: 0 } });
});
