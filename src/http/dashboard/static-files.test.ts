import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStaticFiles, staticKey } from './static-files.js';

test('staticKey accepts plain built names only', () => {
  assert.equal(staticKey('/dashboard/'), 'index.html');
  assert.equal(staticKey('/dashboard/?x=1'), 'index.html');
  assert.equal(staticKey('/dashboard/assets/index-AbC_1-2.js?v=1'), 'assets/index-AbC_1-2.js');
  for (const bad of ['/dashboard/../x', '/dashboard/a/../../x', '/dashboard/%2e%2e/x', '/dashboard/%252e%252e/x', '/dashboard/x%00',
    '/dashboard/a\\b', '/dashboard/./x', '/dashboard//x', '/dashboard/assets/', '/elsewhere/x', '/dashboard/x\u0000y', '/dashboard/é']) {
    assert.equal(staticKey(bad), undefined, bad);
  }
});

test('loadStaticFiles: content types, immutable hashed assets, gzip for large text, unknown types skipped', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-dash-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  writeFileSync(join(dir, 'assets', 'app-1a2b.js'), 'x'.repeat(5000));
  writeFileSync(join(dir, 'assets', 'app-1a2b.css'), 'a{}');
  writeFileSync(join(dir, 'secret.env'), 'NOPE=1');
  const files = loadStaticFiles(dir);
  assert.deepEqual([...files.keys()].sort(), ['assets/app-1a2b.css', 'assets/app-1a2b.js', 'index.html']);
  assert.equal(files.get('index.html')!.cacheControl, 'no-store');
  assert.equal(files.get('index.html')!.type, 'text/html; charset=utf-8');
  const js = files.get('assets/app-1a2b.js')!;
  assert.equal(js.cacheControl, 'public, max-age=31536000, immutable');
  assert.ok(js.gzip && js.gzip.length < js.body.length);
  assert.equal(files.get('assets/app-1a2b.css')!.gzip, undefined, 'tiny files are sent as they are');
  assert.equal(loadStaticFiles(join(dir, 'missing')).size, 0);
});
