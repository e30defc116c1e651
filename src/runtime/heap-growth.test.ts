import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { applyHeapGrowth } from './heap-growth.js';

const MODULE = fileURLToPath(new URL('./heap-growth.js', import.meta.url));

/**
 * Runs a child that keeps 24 MiB alive in old space, then churns short-lived arrays that survive
 * long enough to be promoted, and reports its largest heap size. A low growth percentage
 * must keep that peak under what V8 allows on its own.
 */
function peakHeapMiB(percent: number | null): number {
  const script = `
    import v8 from 'node:v8';
    const { applyHeapGrowth } = await import(${JSON.stringify(MODULE)});
    if (${percent} !== null) applyHeapGrowth(${percent}, []);
    const keep = Array.from({ length: 384 }, () => new Array(8192).fill(1.5));
    let peak = 0, held = [];
    for (let i = 0; i < 6000; i++) {
      held.push(new Array(8192).fill(i + 0.5));
      if (held.length > 256) held = [];
      if (i % 50 === 0) await new Promise((r) => setImmediate(r));
      peak = Math.max(peak, v8.getHeapStatistics().total_heap_size);
    }
    console.log(Math.round(peak / 1048576), keep.length);`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return Number(out.trim().split(' ')[0]);
}

describe('heap growth', () => {
  it('steps aside when node was started with the flag, in either spelling', () => {
    assert.equal(applyHeapGrowth(50, ['--heap-growing-percent=80']), false);
    assert.equal(applyHeapGrowth(50, ['--max-old-space-size=512 --heap_growing_percent=80']), false);
    assert.equal(applyHeapGrowth(0, ['--max-old-space-size=512']), true);
  });

  it('a low percentage keeps the old generation closer to its live size than V8 alone', () => {
    const capped = peakHeapMiB(20);
    const free = peakHeapMiB(null);
    assert.ok(capped < free * 0.8, `heap peak with 20%: ${capped} MiB, with V8's own growth: ${free} MiB`);
  });
});
