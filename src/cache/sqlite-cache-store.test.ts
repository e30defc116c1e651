import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCacheStoreContract } from './cache-store.contract.js';
import { SqliteCacheStore } from './sqlite-cache-store.js';
import { keyNumber } from './sqlite-cache-file.js';
import { openSqliteDatabase } from '../stores/events/sqlite-connection.js';

describe('SqliteCacheStore (contract)', () => {
  runCacheStoreContract(async () => {
    let now = 1_000_000;
    const store = new SqliteCacheStore(join(mkdtempSync(join(tmpdir(), 'tollgate-cache-')), 'cache.db'), () => now);
    return { store, advance: async (ms) => { now += ms; } };
  });
});

describe('SqliteCacheStore write batching', () => {
  const open = (): SqliteCacheStore => new SqliteCacheStore(join(mkdtempSync(join(tmpdir(), 'tollgate-cache-')), 'cache.db'));

  it('a queued write is readable before its batch commits, and lands once committed', async () => {
    const store = open();
    const written = store.set('k1', 'v1', 60_000);
    assert.equal(await store.get('k1'), 'v1');
    await written;
    assert.equal(await store.get('k1'), 'v1');
    await store.close();
  });

  it('flush drops writes still waiting for their batch, so they never reappear', async () => {
    const store = open();
    await store.set('keep:1', 'a', 60_000);
    const waiting = [store.set('t1:x', 'b', 60_000), store.set('keep:2', 'c', 60_000)];
    assert.equal(await store.flush('t1:'), 0); // nothing committed under t1: yet
    await Promise.all(waiting);
    assert.equal(await store.get('t1:x'), undefined);
    assert.equal(await store.get('keep:2'), 'c');
    assert.equal(await store.get('keep:1'), 'a');
    await store.close();
  });

  it('close commits what is still queued', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tollgate-cache-')), 'cache.db');
    const first = new SqliteCacheStore(path);
    void first.set('late', 'value', 60_000);
    await first.close();
    const second = new SqliteCacheStore(path);
    assert.equal(await second.get('late'), 'value');
    await second.close();
  });
});

describe('SqliteCacheStore keys and rows', () => {
  const hashPart = 'a'.repeat(51) + '0123456789abc';

  it('keys that share an indexed number stay apart; a key written again keeps one row', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tollgate-cache-')), 'cache.db');
    const [a, b] = [`g:${hashPart}`, `t0123456789abcdef:${hashPart}`];
    assert.equal(keyNumber(a), keyNumber(b), 'same hash tail, same number');
    assert.equal(keyNumber('custom key'), keyNumber('custom key'));
    assert.ok(Number.isSafeInteger(keyNumber(a)) && Number.isSafeInteger(keyNumber('custom key')));
    const store = new SqliteCacheStore(path);
    await store.set(a, 'global answer', 60_000);
    await store.set(b, 'tenant answer', 60_000);
    await store.set(a, 'newer global answer', 60_000);
    await store.close();
    const reopened = new SqliteCacheStore(path);
    assert.equal(await reopened.get(a), 'newer global answer');
    assert.equal(await reopened.get(b), 'tenant answer');
    assert.equal(await reopened.get(`g:${'b'.repeat(51)}0123456789abc`), undefined, 'a third key with the same number is a miss');
    await reopened.close();
    const db = openSqliteDatabase(path);
    const rows = db.prepare('SELECT key, count(*) AS n FROM cache_rows GROUP BY key ORDER BY key').all();
    db.close();
    assert.deepEqual(rows, [{ key: a, n: 1 }, { key: b, n: 1 }]);
  });

  it('a file from before the indexed number (table cache_items) starts empty, and works', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tollgate-cache-')), 'cache.db');
    const old = openSqliteDatabase(path);
    old.exec('CREATE TABLE cache_items (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER NOT NULL)');
    old.prepare('INSERT INTO cache_items VALUES (?, ?, ?)').run('g:old', 'stale', Date.now() + 60_000);
    old.close();
    const store = new SqliteCacheStore(path);
    assert.equal(await store.get('g:old'), undefined);
    await store.set('g:new', 'fresh', 60_000);
    await store.close();
    const again = new SqliteCacheStore(path);
    assert.equal(await again.get('g:new'), 'fresh');
    await again.close();
  });
});

describe('SqliteCacheStore on a damaged file', () => {
  const freshPath = (): string => join(mkdtempSync(join(tmpdir(), 'tollgate-cache-')), 'cache.db');

  it('a file that is not a database is replaced by an empty cache, not a lookup error', async () => {
    const path = freshPath();
    writeFileSync(path, Buffer.alloc(8192, 0x5a));
    const store = new SqliteCacheStore(path);
    assert.equal(await store.get('k'), undefined);
    assert.equal(store.resets, 1);
    await store.set('k', 'v', 60_000);
    await store.close();
    const reopened = new SqliteCacheStore(path);
    assert.equal(await reopened.get('k'), 'v');
    assert.equal(reopened.resets, 0);
    await reopened.close();
  });

  it('a damaged file met first by a write (on the writer thread) is replaced too, and the reader follows', async () => {
    const path = freshPath();
    writeFileSync(path, Buffer.alloc(8192, 0x5a));
    const store = new SqliteCacheStore(path);
    await store.set('k', 'v', 60_000);
    assert.equal(store.resets, 1);
    assert.equal(await store.get('k'), 'v');
    await store.close();
    const reopened = new SqliteCacheStore(path);
    assert.equal(await reopened.get('k'), 'v');
    await reopened.close();
  });

  it('a database whose pages were overwritten is wiped once and serves again', async () => {
    const path = freshPath();
    const first = new SqliteCacheStore(path);
    for (let i = 0; i < 50; i++) void first.set(`k${i}`, 'x'.repeat(2000), 60_000);
    await first.close();
    // Keep SQLite's 100-byte header so the file still looks like a database, damage the rest.
    const bytes = readFileSync(path);
    bytes.fill(0xa5, 100);
    writeFileSync(path, bytes);
    const second = new SqliteCacheStore(path);
    assert.equal(await second.get('k1'), undefined);
    assert.equal(second.resets, 1);
    await second.set('k1', 'fresh', 60_000);
    assert.equal(await second.get('k1'), 'fresh');
    await second.close();
  });
});
