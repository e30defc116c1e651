import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUCKET_BOUNDS_MS, bucketCaseSql, bucketOf, mergeSketch, quantile, type LatencySketch } from './latency-sketch.js';
import Database from 'better-sqlite3';

test('bucketOf and the SQL CASE agree on every bound and between them', () => {
  const db = new Database(':memory:');
  const stmt = db.prepare(`SELECT ${bucketCaseSql('x')} AS b FROM (SELECT ? AS x)`);
  const probes = [0, 0.05, ...BUCKET_BOUNDS_MS, ...BUCKET_BOUNDS_MS.map((b) => b * 1.01), ...BUCKET_BOUNDS_MS.map((b) => b * 0.999), 1e9];
  for (const p of probes) assert.equal((stmt.get(p) as { b: number }).b, bucketOf(p), `latency ${p}`);
  db.close();
});

test('percentiles of merged sketches stay within one bucket of the exact value', () => {
  const values = Array.from({ length: 5000 }, (_, i) => 0.3 + ((i * 7919) % 5000) * 2.7);
  const sketch = (xs: number[]): LatencySketch => {
    const s: LatencySketch = {};
    for (const x of xs) s[bucketOf(x)] = (s[bucketOf(x)] ?? 0) + 1;
    return s;
  };
  const merged = mergeSketch(mergeSketch({}, sketch(values.slice(0, 1234))), sketch(values.slice(1234)));
  const sorted = [...values].sort((a, b) => a - b);
  for (const q of [0.5, 0.95, 0.99]) {
    const exact = sorted[Math.ceil(q * sorted.length) - 1];
    const est = quantile(merged, q)!;
    assert.ok(Math.abs(est - exact) / exact < 0.2, `q=${q}: ${est} vs ${exact}`);
  }
  assert.equal(quantile({}, 0.5), null);
});
