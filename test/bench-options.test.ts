/**
 * `npm run bench` options (bench/options.ts): defaults, `--quick`, and explicit values winning
 * over `--quick`, for the run-length options; the prime in particular, whose default is what
 * keeps the first rows from being measured while V8 still optimizes the gateways.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBenchOptions } from '../bench/options.js';

test('bench options: defaults, --quick, and explicit values over --quick', () => {
  const full = parseBenchOptions([]);
  assert.deepEqual([full.durationSec, full.warmupSec, full.primeSec, full.rounds], [5, 1, 8, 5]);
  const quick = parseBenchOptions(['--quick']);
  assert.deepEqual([quick.durationSec, quick.warmupSec, quick.primeSec, quick.rounds], [2, 0.5, 1, 2]);
  const mixed = parseBenchOptions(['--quick', '--prime', '3', '--duration', '4']);
  assert.deepEqual([mixed.durationSec, mixed.primeSec], [4, 3]);
  assert.throws(() => parseBenchOptions(['--prime', '0']), /--prime must be a positive number/);
  assert.throws(() => parseBenchOptions(['--targets', 'gateway,nope']), /unknown target nope/);
});
