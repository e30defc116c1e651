/**
 * Per-round throughput ratios (bench/round-ratios.ts) and the rows that carry them
 * (bench/report.ts buildRows): slices pair by round, the worst concurrency is judged on its
 * aggregate ratio, and the printed value shows the spread of the rounds beside it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combine, type LoadSlice } from '../bench/load.js';
import { buildRows } from '../bench/report.js';
import { ratioCheck, ratioText, roundRatios, worstOf, worstRatio } from '../bench/round-ratios.js';
import type { Scenario } from '../bench/scenarios.js';

/** A slice of `requests` answers (1 ms each) over `seconds`. */
function slice(requests: number, seconds = 1): LoadSlice {
  return { samplesMs: new Array<number>(requests).fill(1), non2xx: 0, errors: 0, timeouts: 0, elapsedSec: seconds };
}

test('round ratios: slice i over slice i; a zero-throughput twin slice is skipped', () => {
  const a = combine([slice(90), slice(80), slice(50)]);
  const b = combine([slice(100), slice(100), slice(0)]);
  assert.deepEqual(a.sliceRps, [90, 80, 50]);
  assert.deepEqual(roundRatios(a, b), [0.9, 0.8]);
  assert.deepEqual(roundRatios(combine([slice(10)]), b), [0.1], 'pairs as far as both have rounds');
});

test('worst ratio, its text with the spread, and the check against a limit', () => {
  const good = { value: 0.95, rounds: [0.9, 0.95, 1] };
  const bad = { value: 0.8, rounds: [0.7, 0.75, 0.8, 0.85, 0.9] };
  assert.equal(worstRatio([good, null, bad]), bad);
  assert.equal(worstRatio([null]), null);
  assert.equal(ratioText(bad, 'percent'), '80.0% (rounds 72.0-88.0%)');
  assert.equal(ratioText({ value: 1.5, rounds: [1.5] }, 'times'), '1.50x', 'no spread from fewer than three rounds');
  assert.equal(ratioText(null, 'percent'), 'n/a');
  assert.deepEqual(ratioCheck('t', bad, 0.9), { name: 't', value: '80.0% (rounds 72.0-88.0%)', limit: '>= 90%', pass: false });
  assert.equal(ratioCheck('t', good, 0.9).pass, true);
  assert.equal(ratioCheck('t', bad, 0.9, 'percent', false).pass, null, 'reported, not judged');
  assert.equal(ratioCheck('t', null, 0.9).pass, null);
  assert.equal(ratioCheck('t', good, 1.5, 'times').limit, '>= 1.5x');
});

test('rows carry per-round ratios to floor and gateway-bare; the worst concurrency is picked', () => {
  const s = (target: Scenario['target'], connections: number): Scenario =>
    ({ target, mode: 'non-stream', connections, path: '/v1/chat/completions', body: '{}', expect: 'json' }) as Scenario;
  const scenarios = [s('floor', 16), s('gateway', 16), s('gateway-bare', 16), s('floor', 64), s('gateway', 64), s('gateway-bare', 64)];
  const results = [
    combine([slice(100), slice(100), slice(100)]), combine([slice(90), slice(85), slice(80)]), combine([slice(95), slice(95), slice(95)]),
    combine([slice(200), slice(200), slice(200)]), combine([slice(120), slice(160), slice(140)]), combine([slice(190), slice(190), slice(190)]),
  ];
  const rows = buildRows(scenarios, results);
  const gw16 = rows[1];
  assert.deepEqual(gw16.rounds.vsFloor, [0.9, 0.85, 0.8]);
  assert.deepEqual(gw16.rounds.vsBare.map((r) => Number(r.toFixed(4))), [0.9474, 0.8947, 0.8421]);
  assert.deepEqual(rows[0].rounds, { vsFloor: [], vsBare: [], vsBaseline: [] });
  const worst = worstOf(rows, (r) => r.target === 'gateway', 'vsFloor');
  assert.equal(worst?.value, 0.7, 'c=64 (140/200) is worse than c=16 (85/100)');
  assert.deepEqual(worst?.rounds, [0.6, 0.8, 0.7]);
});
