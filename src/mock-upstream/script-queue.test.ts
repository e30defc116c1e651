import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScriptQueue, validateScript } from './script-queue.js';

test('steps are consumed in order and the script is removed when they run out', () => {
  const q = new ScriptQueue();
  q.add({ steps: [{ status: 500 }, {}] });
  assert.equal(q.size, 1);
  assert.deepEqual(q.take('m', '/v1/chat/completions'), { status: 500 });
  assert.deepEqual(q.take('m', '/v1/chat/completions'), {});
  assert.equal(q.size, 0);
  assert.equal(q.take('m', '/v1/chat/completions'), undefined);
});

test('repeat cycles the steps forever', () => {
  const q = new ScriptQueue();
  q.add({ steps: [{ chunks: 1 }, { chunks: 2 }], repeat: true });
  const seen = [1, 2, 3, 4, 5].map(() => q.take(undefined, '/x')?.chunks);
  assert.deepEqual(seen, [1, 2, 1, 2, 1]);
  assert.equal(q.size, 1);
});

test('match by model and by path (exact or prefix with *)', () => {
  const q = new ScriptQueue();
  q.add({ match: { model: 'a' }, steps: [{ status: 401 }] });
  q.add({ match: { path: '/v1/messages' }, steps: [{ status: 402 }] });
  q.add({ match: { path: '/client/v4/*' }, steps: [{ status: 403 }] });
  assert.equal(q.take('b', '/v1/chat/completions'), undefined);
  assert.equal(q.take('b', '/client/v4/accounts/x/ai/run/m')?.status, 403);
  assert.equal(q.take('b', '/v1/messages')?.status, 402);
  assert.equal(q.take('b', '/v1/messages/extra'), undefined);
  assert.equal(q.take(undefined, '/v1/chat/completions'), undefined);
  assert.equal(q.take('a', '/anything')?.status, 401);
  assert.equal(q.size, 0);
});

test('the oldest matching script plays first', () => {
  const q = new ScriptQueue();
  q.add({ steps: [{ status: 500 }] });
  q.add({ match: { model: 'm' }, steps: [{ status: 503 }] });
  assert.equal(q.take('m', '/p')?.status, 500);
  assert.equal(q.take('m', '/p')?.status, 503);
});

test('clear drops everything', () => {
  const q = new ScriptQueue();
  q.add({ steps: [{}] });
  q.add({ steps: [{}], repeat: true });
  q.clear();
  assert.equal(q.size, 0);
  assert.equal(q.take('m', '/p'), undefined);
});

test('invalid scripts are rejected with a reason', () => {
  assert.throws(() => validateScript(null), /steps array/);
  assert.throws(() => validateScript({ steps: [] }), /non-empty/);
  assert.throws(() => validateScript({ steps: [{ nope: 1 }] }), /unknown directive/);
  assert.throws(() => validateScript({ steps: [{}], repeat: 'yes' }), /repeat/);
  assert.throws(() => validateScript({ steps: [{}], extra: 1 }), /unknown script field/);
  assert.throws(() => validateScript({ steps: [{}], match: 'm' }), /match must be an object/);
  assert.throws(() => validateScript({ steps: [{}], match: { modle: 'm' } }), /unknown match field/);
  assert.throws(() => validateScript({ steps: [{}], match: { model: 1 } }), /must be a string/);
  assert.throws(() => new ScriptQueue().add({ steps: [{ status: 'x' as unknown as number }] }), /wrong type/);
  assert.deepEqual(validateScript({ steps: [{}], match: { model: 'm' } }), { steps: [{}], repeat: false, match: { model: 'm' } });
});
