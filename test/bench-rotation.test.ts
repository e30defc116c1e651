/**
 * The benchmark's slice order (bench/bench.ts `sliceOrder`): over one cycle of rounds every
 * target runs once in every position and right after every other target equally often, so no
 * row always inherits the same predecessor's after-effects on the shared mock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sliceOrder } from '../bench/bench.js';

function checkCycle(n: number): void {
  const list = Array.from({ length: n }, (_, i) => `t${i}`);
  const cycle = n % 2 === 0 ? n : 2 * n;
  const rounds = Array.from({ length: cycle }, (_, r) => sliceOrder(list, r));
  for (const order of rounds) assert.deepEqual([...order].sort(), [...list].sort(), `a permutation (n=${n})`);
  for (let position = 0; position < n; position++) {
    const counts = new Map<string, number>();
    for (const order of rounds) counts.set(order[position], (counts.get(order[position]) ?? 0) + 1);
    assert.equal(counts.size, n, `every target in position ${position} (n=${n})`);
    assert.ok([...counts.values()].every((c) => c === cycle / n));
  }
  const pairs = new Map<string, number>();
  for (const order of rounds) for (let i = 1; i < n; i++) pairs.set(`${order[i - 1]}>${order[i]}`, (pairs.get(`${order[i - 1]}>${order[i]}`) ?? 0) + 1);
  assert.equal(pairs.size, n * (n - 1), `every ordered pair adjacent (n=${n})`);
  assert.ok([...pairs.values()].every((c) => c === cycle / n), `each pair equally often (n=${n})`);
  assert.deepEqual(sliceOrder(list, cycle), rounds[0], 'the cycle repeats');
}

test('bench slice order: a balanced Latin square for even and odd target counts', () => {
  for (const n of [2, 3, 4, 5, 6, 7]) checkCycle(n);
  assert.deepEqual(sliceOrder(['a'], 3), ['a']);
  assert.deepEqual(sliceOrder([], 1), []);
});
