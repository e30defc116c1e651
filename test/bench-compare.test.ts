/**
 * `npm run bench:compare` (bench/compare.ts): how variants are read, that each generated config
 * loads with the real loader and has the features asked for, and one short real run of a
 * gateway against the floor at a fixed rate.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCompareOptions, parseVariant } from '../bench/compare-options.js';
import { cpuNanos, renderCompare, runCompare, variantConfig } from '../bench/compare.js';
import { loadConfig } from '../src/config/load.js';

describe('bench:compare variants', () => {
  test('a variant names its target, features, node flags, environment and checkout', () => {
    assert.deepEqual(parseVariant('new=gateway-bare+cache+heap-growth-30:--max-semi-space-size=8,TG_X=1@../old'), {
      label: 'new', target: 'gateway-bare', features: ['cache', 'heap-growth-30'], nodeFlags: ['--max-semi-space-size=8'], env: { TG_X: '1' }, checkout: '../old',
    });
    assert.deepEqual(parseVariant('f=floor'), { label: 'f', target: 'floor', features: [], nodeFlags: [], env: {}, checkout: undefined });
    for (const bad of ['gateway', 'a=nope', 'a=gateway+turbo', 'a=floor+cache', 'a=gateway:oops']) {
      assert.throws(() => parseVariant(bad), /variant|target|feature|floor|neither/, bad);
    }
  });

  test('options: at least two variants with distinct labels; saturating drops the rate', () => {
    assert.throws(() => parseCompareOptions(['a=gateway']), /at least two/);
    assert.throws(() => parseCompareOptions(['a=gateway', 'a=floor']), /differ/);
    assert.throws(() => parseCompareOptions(['--rate', '0', 'a=gateway', 'b=floor']), /--rate/);
    const o = parseCompareOptions(['--saturate', '--rounds', '3', 'a=gateway', 'b=floor']);
    assert.equal(o.rate, 0);
    assert.equal(o.rounds, 3);
    assert.equal(parseCompareOptions(['a=gateway', 'b=floor']).rate, 1000);
  });

  test('features replace the base config\'s line for the same key, and the result loads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tollgate-compare-config-'));
    const cases: Array<[string, (c: ReturnType<typeof loadConfig>['source']) => void]> = [
      ['a=gateway-bare+cache+metrics', (c) => { assert.equal(c.cache.enabled, true); assert.equal(c.metrics.enabled, true); }],
      ['a=gateway-full+no-metrics', (c) => { assert.equal(c.metrics.enabled, false); assert.equal(c.tracing.enabled, true); }],
      ['a=gateway+guards+tracing+heap-growth-30', (c) => {
        assert.equal((c.keys ?? []).length, 1);
        assert.equal(c.tracing.enabled, true);
        assert.equal(c.server.heapGrowthPercent, 30);
      }],
      ['a=gateway+no-lines', (c) => { assert.equal(c.logging.requests, false); assert.equal(c.logging.level, 'info'); assert.match(c.storage, /^sqlite:/); }],
      ['a=gateway+no-store', (c) => { assert.equal(c.storage, 'none://'); assert.equal(c.logging.requests, true); }],
    ];
    for (const [spec, check] of cases) {
      const text = variantConfig(parseVariant(spec), 'http://127.0.0.1:9', dir, 'http://127.0.0.1:9');
      assert.equal(text.split('\n').filter((l) => l.startsWith('metrics:')).length <= 1, true, spec);
      const file = join(dir, 'tollgate.yaml');
      writeFileSync(file, text);
      check(loadConfig(file, {}).source);
    }
  });

  test('CPU time is read for every thread of a process, and for its main thread, in nanoseconds', () => {
    const before = cpuNanos(process.pid);
    const until = performance.now() + 30;
    while (performance.now() < until) { /* spin */ }
    const after = cpuNanos(process.pid);
    assert.ok(after.main - before.main >= 20e6, 'the spin ran on the main thread');
    assert.ok(after.all - before.all >= after.main - before.main);
    assert.ok(after.all > after.main, 'node has threads besides the main one');
  });

  test('a short run measures a gateway and the floor side by side', async () => {
    const opts = parseCompareOptions(['--rate', '100', '--seconds', '1', '--rounds', '2', '--connections', '2', 'gw=gateway-bare', 'floor=floor']);
    const results = await runCompare(opts);
    assert.deepEqual(results.map((r) => r.label), ['gw', 'floor']);
    for (const r of results) {
      assert.equal(r.failed, 0, r.label);
      assert.equal(r.cpuUs.length, 2);
      assert.ok(r.cpuUs.every((us) => us > 0 && us < 1e5), `${r.label}: ${r.cpuUs}`);
      assert.ok(r.mainUs.every((us, i) => us > 0 && us <= r.cpuUs[i]), `${r.label}: ${r.mainUs}`);
      assert.ok(r.rps.every((rps) => rps > 50 && rps < 150), `${r.label}: ${r.rps}`);
      assert.ok(r.peakRssMiB !== null && r.peakRssMiB > 10);
    }
    assert.deepEqual(results[0].ratios, [1, 1]);
    const report = renderCompare(results, opts);
    assert.match(report, /^variant +config +cpu us\/req +main us\/req/m);
    assert.match(report, /floor +floor +\d/);
  });
});
