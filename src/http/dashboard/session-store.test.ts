import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cookieValue, csrfMatches, SESSION_TTL_MS, SessionStore } from './session-store.js';

test('a session is found by its id under the key that opened it, until it expires', () => {
  let now = 1_000_000;
  const store = new SessionStore(() => now);
  const { id, session } = store.open('key-A');
  assert.equal(id.length, 43);
  assert.equal(store.find(id, 'key-A'), session);
  assert.equal(store.find(id, 'key-B'), undefined, 'another admin key does not accept it');
  assert.equal(store.find(id, 'key-A'), undefined, 'and a rotated key ended it for good');
  const second = store.open('key-A');
  now += SESSION_TTL_MS - 1;
  assert.ok(store.find(second.id, 'key-A'));
  now += 1;
  assert.equal(store.find(second.id, 'key-A'), undefined);
  assert.equal(store.size, 0);
});

test('unknown, missing, oversized ids and a missing admin key find nothing; close forgets', () => {
  const store = new SessionStore();
  const { id } = store.open('k');
  assert.equal(store.find(undefined, 'k'), undefined);
  assert.equal(store.find('nope', 'k'), undefined);
  assert.equal(store.find('x'.repeat(200), 'k'), undefined);
  assert.equal(store.find(id, undefined), undefined);
  store.close(id);
  assert.equal(store.find(id, 'k'), undefined);
});

test('memory is bounded: the oldest session goes first', () => {
  const store = new SessionStore();
  const first = store.open('k');
  for (let i = 0; i < 1000; i++) store.open('k');
  assert.equal(store.size, 1000);
  assert.equal(store.find(first.id, 'k'), undefined);
});

test('CSRF tokens compare exactly; cookies are read by name', () => {
  const { session } = new SessionStore().open('k');
  assert.ok(csrfMatches(session, session.csrf));
  assert.equal(csrfMatches(session, `${session.csrf}x`), false);
  assert.equal(csrfMatches(session, undefined), false);
  assert.equal(csrfMatches(session, [session.csrf]), false);
  assert.equal(cookieValue('a=1; tollgate_session=abc; b=2', 'tollgate_session'), 'abc');
  assert.equal(cookieValue('xtollgate_session=abc', 'tollgate_session'), undefined);
  assert.equal(cookieValue(undefined, 'tollgate_session'), undefined);
});
