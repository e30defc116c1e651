/**
 * The short soak (L2/L3) in the default test run: 20 s of the mixed soak traffic through a real
 * gateway process (bench/soak.ts). Every request id sent must be in the SQLite log exactly once,
 * descriptors and sockets must come back to the warm baseline, and the post-GC heap must not run
 * away (a generous bound: 20 s is too short for a meaningful slope; the long run in
 * docs/soak.md judges that).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSoak } from '../../bench/soak.js';
import { DEFAULT_THRESHOLDS, formatReport } from '../../bench/soak-stats.js';

test('L2/L3 short soak: no lost rows, handles back to baseline, heap bounded', { timeout: 90_000 }, async () => {
  const r = await runSoak({ seconds: 20, rps: 60, concurrency: 4 });
  const report = formatReport(r, DEFAULT_THRESHOLDS);
  assert.ok(r.requests > 200, report);
  assert.ok(r.samples.length >= 5, `post-GC samples taken\n${report}`);
  for (const kind of ['chat 200', 'stream 200', 'abort aborted', 'embeddings 200', 'cache-hit 200']) {
    assert.ok((r.outcomes[kind] ?? 0) > 0, `traffic included ${kind}\n${report}`);
  }
  assert.ok(Object.keys(r.outcomes).some((k) => k.startsWith('upstream-error 5')), `upstream errors answered\n${report}`);
  assert.equal(r.lost, 0, report);
  assert.equal(r.unexpected, 0, report);
  assert.deepEqual(r.failures, [], report);
});
