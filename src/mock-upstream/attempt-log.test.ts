import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AttemptLog, type Attempt } from './attempt-log.js';

function attempt(log: AttemptLog): Attempt {
  return {
    seq: log.nextSeq(), time: 0, method: 'POST', path: '/p', query: '', model: 'm', headers: { a: '1' }, bodyBytes: 0,
    body: undefined, stream: false, directives: {}, outcome: 'ok', closedByClient: false,
  };
}

test('keeps the newest `capacity` records, oldest first', () => {
  const log = new AttemptLog(3);
  for (let i = 0; i < 5; i++) log.add(attempt(log));
  assert.deepEqual(log.list().map((a) => a.seq), [3, 4, 5]);
  log.add(attempt(log));
  assert.deepEqual(log.list().map((a) => a.seq), [4, 5, 6]);
});

test('records update in place but readers get snapshots', () => {
  const log = new AttemptLog(10);
  const a = log.add(attempt(log));
  const before = log.list()[0];
  a.closedByClient = true;
  a.headers.a = 'changed';
  assert.equal(before.closedByClient, false);
  assert.equal(before.headers.a, '1');
  assert.equal(log.list()[0].closedByClient, true);
  before.directives.status = 500;
  assert.deepEqual(log.list()[0].directives, {});
});

test('reset empties the log and restarts numbering', () => {
  const log = new AttemptLog(2);
  for (let i = 0; i < 3; i++) log.add(attempt(log));
  log.reset();
  assert.deepEqual(log.list(), []);
  log.add(attempt(log));
  assert.deepEqual(log.list().map((a) => a.seq), [1]);
});

test('capacity must be a positive integer', () => {
  assert.throws(() => new AttemptLog(0), RangeError);
  assert.throws(() => new AttemptLog(1.5), RangeError);
});
