import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SqliteThread } from './sqlite-thread.js';
import { ThreadedSqliteStore } from './events/threaded-sqlite-store.js';
import { SqliteCacheStore } from '../cache/sqlite-cache-store.js';
import { makeEvents } from './events/event-fixtures.js';

const run = promisify(execFile);
const dir = (): string => mkdtempSync(join(tmpdir(), 'tollgate-thread-'));
const threads = (): number => readdirSync('/proc/self/task').length;

describe('SQLite writer thread', () => {
  test('users share one thread; the last release stops it and the next acquire starts another', async () => {
    const a = SqliteThread.acquire();
    const b = SqliteThread.acquire();
    assert.equal(a, b);
    await a.release();
    assert.equal(SqliteThread.acquire(), a, 'still running while a user holds it');
    await a.release();
    await b.release();
    const c = SqliteThread.acquire();
    assert.notEqual(c, a);
    await c.release();
  });

  test('the log store and a SQLite cache file write through one worker, not one each', async () => {
    const base = threads();
    const store = await ThreadedSqliteStore.open(join(dir(), 'events.db'));
    const withLog = threads();
    const cache = new SqliteCacheStore(join(dir(), 'cache.db'));
    await cache.set('k', 'v', 60_000);
    assert.equal(await store.append(makeEvents(3)), 3);
    assert.ok(withLog > base, 'the log store started the writer thread');
    assert.equal(threads(), withLog, 'the cache reused it');
    await cache.close();
    await store.close();
  });

  test('a dead thread fails its calls, and the next acquire replaces it', async () => {
    const t = SqliteThread.acquire();
    await (t as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await assert.rejects(t.call({ op: 'close', store: SqliteThread.storeId() }), /exited/);
    assert.equal(t.alive, false);
    const next = SqliteThread.acquire();
    assert.notEqual(next, t);
    assert.equal(await next.call({ op: 'close', store: SqliteThread.storeId() }), undefined);
    await next.release();
    await t.release();
  });

  test('a cache store keeps working after its writer thread died', async () => {
    const cache = new SqliteCacheStore(join(dir(), 'cache.db'));
    await cache.set('before', '1', 60_000);
    const t = SqliteThread.acquire();
    await (t as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await t.release();
    await cache.set('after', '2', 60_000);
    assert.equal(await cache.get('before'), '1');
    assert.equal(await cache.get('after'), '2');
    await cache.close();
  });

  test('an idle writer thread never keeps the process alive; a pending write does until it lands', async () => {
    const file = join(dir(), 'cache.db');
    const script = `
      import { SqliteCacheStore } from ${JSON.stringify(new URL('../cache/sqlite-cache-store.js', import.meta.url).href)};
      const cache = new SqliteCacheStore(${JSON.stringify(file)});
      cache.set('k', 'x'.repeat(1000), 60000).then(() => console.log('written'));
      // No close: the process must still exit once the write has landed.
    `;
    // From a file, not --eval: a worker inherits the parent's node flags, and --eval is not one it takes.
    const scriptFile = join(dir(), 'writer.mjs');
    writeFileSync(scriptFile, script);
    const { stdout } = await run(process.execPath, [scriptFile], { timeout: 20_000 });
    assert.equal(stdout.trim(), 'written');
    const reader = new SqliteCacheStore(file);
    assert.equal(await reader.get('k'), 'x'.repeat(1000));
    await reader.close();
  });
});
