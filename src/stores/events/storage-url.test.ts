import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSchemaName, parseStorageUrl, StorageUrlError } from './storage-url.js';

test('sqlite URLs keep the path verbatim', () => {
  assert.deepEqual(parseStorageUrl('sqlite://./data/tollgate.db'), { kind: 'sqlite', path: './data/tollgate.db' });
  assert.deepEqual(parseStorageUrl('sqlite:///var/lib/t.db'), { kind: 'sqlite', path: '/var/lib/t.db' });
  assert.deepEqual(parseStorageUrl('sqlite://:memory:'), { kind: 'sqlite', path: ':memory:' });
});

test('postgres URLs default to the public schema and strip the schema parameter', () => {
  assert.deepEqual(parseStorageUrl('postgres://u@h:5432/db'), { kind: 'postgres', url: 'postgres://u@h:5432/db', schema: 'public' });
  const t = parseStorageUrl('postgresql://u:p@h/db?schema=logs&sslmode=require');
  assert.equal(t.kind, 'postgres');
  if (t.kind !== 'postgres') return;
  assert.equal(t.schema, 'logs');
  assert.equal(t.url, 'postgresql://u:p@h/db?sslmode=require');
});

test('rejects unknown schemes, empty paths and unsafe schema names', () => {
  for (const url of ['mysql://h/db', 'sqlite://', '', 'postgres://h/db?schema=Robert%27)%3B', 'postgres://h/db?schema=1abc']) {
    assert.throws(() => parseStorageUrl(url), StorageUrlError, url);
  }
  assert.equal(checkSchemaName('tollgate_test_ab12'), 'tollgate_test_ab12');
  assert.throws(() => checkSchemaName('a'.repeat(64)), StorageUrlError);
});
