import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Notification } from './alert-message.js';
import { DeliveryQueue } from './delivery-queue.js';
import { PermanentDeliveryError, type Destination } from './destinations/destination.js';

const n = { kind: 'alert', title: 't', body: 'b', severity: 'critical', dedupKey: 'k', action: 'trigger', details: {}, link: undefined } as Notification;
const fast = { type: 'constant', baseMs: 5, maxMs: 5 } as const;

function dest(behaviour: (attempt: number) => Promise<void>): Destination & { calls: number; name: string } {
  const d = { name: 'd', type: 'test', calls: 0, send: () => behaviour(++d.calls) };
  return d;
}

test('a failing destination is retried with backoff until it succeeds', async () => {
  const q = new DeliveryQueue({ maxAttempts: 5, timeoutMs: 1_000, capacity: 10, backoff: fast });
  const d = dest(async (i) => { if (i < 3) throw new Error('503'); });
  q.enqueue(d, n);
  await q.idle();
  assert.equal(d.calls, 3);
  assert.deepEqual(q.stats.get('d'), { sent: 1, failed: 0, retried: 2, dropped: 0 });
});

test('a permanent failure is not retried; attempts are capped', async () => {
  const q = new DeliveryQueue({ maxAttempts: 3, timeoutMs: 1_000, capacity: 10, backoff: fast });
  const perm = dest(async () => { throw new PermanentDeliveryError('400'); });
  const flaky = dest(async () => { throw new Error('down'); });
  flaky.name = 'f';
  q.enqueue(perm, n);
  q.enqueue(flaky, n);
  await q.idle();
  assert.equal(perm.calls, 1);
  assert.equal(flaky.calls, 3);
  assert.equal(q.totals().failed, 2);
});

test('a destination that hangs never blocks enqueue; sends time out; overflow is counted', async () => {
  const q = new DeliveryQueue({ maxAttempts: 1, timeoutMs: 50, capacity: 3, concurrency: 1 });
  const hang: Destination = {
    name: 'h', type: 'test',
    send: (_n, signal) => new Promise((_r, reject) => signal.addEventListener('abort', () => reject(new Error('timeout')))),
  };
  // AbortSignal.timeout timers do not keep a process alive; a gateway's server does, here this.
  const alive = setInterval(() => undefined, 1_000);
  for (let i = 0; i < 10; i++) q.enqueue(hang, n);
  assert.equal(q.stats.get('h')?.dropped, 7, 'beyond capacity: dropped at once, counted');
  await q.idle();
  clearInterval(alive);
  assert.deepEqual(q.stats.get('h'), { sent: 0, failed: 3, retried: 0, dropped: 7 });
});

test('close sends retries that were waiting on a timer', async () => {
  const q = new DeliveryQueue({ maxAttempts: 2, timeoutMs: 1_000, capacity: 10, backoff: { type: 'constant', baseMs: 60_000, maxMs: 60_000 } });
  const d = dest(async (i) => { if (i === 1) throw new Error('first fails'); });
  q.enqueue(d, n);
  await new Promise((r) => setTimeout(r, 20));
  await q.close(1_000);
  assert.equal(d.calls, 2);
  assert.equal(q.stats.get('d')!.sent, 1);
});
