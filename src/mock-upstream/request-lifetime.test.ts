import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestLifetime } from './request-lifetime.js';

test('sleep completes with true, or false when the lifetime ends first', async () => {
  const life = new RequestLifetime();
  assert.equal(await life.sleep(0), true);
  assert.equal(await life.sleep(5), true);
  const pending = life.sleep(60_000);
  const waiting = life.untilEnd();
  life.end();
  assert.equal(await pending, false);
  await waiting;
  assert.equal(life.isEnded, true);
});

test('after the end, waits return at once and end() is idempotent', async () => {
  const life = new RequestLifetime();
  life.end();
  life.end();
  assert.equal(await life.sleep(60_000), false);
  await life.untilEnd();
});
