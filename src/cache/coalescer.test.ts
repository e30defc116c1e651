import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Coalescer } from './coalescer.js';
import { hold } from './cache-entry.js';

const entry = { v: 1 as const, kind: 'json' as const, body: '{"a":1}', usage: null, provider: 'p', model: 'm', costMicros: null, createdAt: 1, expiresAt: 2 };
const never = () => () => undefined;

describe('coalescer', () => {
  test('one leader per key; followers get its answer; settling twice is harmless', async () => {
    const c = new Coalescer();
    const settle = c.lead('k')!;
    assert.equal(c.lead('k'), undefined);
    assert.equal(c.follow('other', 1000, never), undefined);
    const waiting = [c.follow('k', 1000, never), c.follow('k', 1000, never)];
    const held = hold(entry, 100);
    settle(held);
    settle(undefined);
    assert.deepEqual(await Promise.all(waiting), [held, held]);
    assert.equal(c.inFlight, 0);
    assert.ok(c.lead('k'), 'a new flight can start');
  });

  test('a follower stops waiting at its bound or when its client leaves', async () => {
    const c = new Coalescer();
    c.lead('k');
    assert.equal(await c.follow('k', 5, never), undefined);
    let stop!: () => void;
    const p = c.follow('k', 60_000, (s) => { stop = s; return () => undefined; })!;
    stop();
    assert.equal(await p, undefined);
  });
});
