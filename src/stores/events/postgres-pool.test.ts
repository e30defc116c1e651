import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HERE = new URL('.', import.meta.url).pathname;

/** Runs a fresh node that opens a store at `url`, and says whether the pg driver got loaded. */
function pgLoadedAfterOpening(url: string): boolean {
  const script = `
    import { createRequire } from 'node:module';
    const { openEventStore } = await import(${JSON.stringify(join(HERE, 'open-event-store.js'))});
    const store = await openEventStore(${JSON.stringify(url)});
    const cache = createRequire(import.meta.url).cache;
    process.stdout.write(String(Object.keys(cache).some((k) => /[\\\\/]node_modules[\\\\/]pg[\\\\/]/.test(k))));
    await store.close();
  `;
  const file = join(mkdtempSync(join(tmpdir(), 'tollgate-pg-probe-')), 'probe.mjs');
  writeFileSync(file, script);
  return execFileSync(process.execPath, [file], { encoding: 'utf8' }).trim() === 'true';
}

test('a SQLite log store never loads the PostgreSQL driver; a postgres:// one does', () => {
  assert.equal(pgLoadedAfterOpening(`sqlite://${join(mkdtempSync(join(tmpdir(), 'tollgate-pg-lazy-')), 'x.db')}`), false);
  const pgUrl = process.env.DATABASE_URL;
  if (pgUrl) assert.equal(pgLoadedAfterOpening(pgUrl), true, 'the check itself sees pg when it is used');
});
