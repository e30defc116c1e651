import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteDatabase } from './sqlite-connection.js';

test('connections use WAL, a busy timeout and a 2 MB page cache, not the build\'s 16 MB', () => {
  const db = openSqliteDatabase(join(mkdtempSync(join(tmpdir(), 'tollgate-conn-')), 'sub', 'x.db'));
  try {
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('busy_timeout', { simple: true }), 5000);
    assert.equal(db.pragma('cache_size', { simple: true }), -2000);
  } finally {
    db.close();
  }
});
