// Unit tests for breaker-state.ts, the pure transition rules: consecutive failures open the
// breaker at the threshold and a success in between resets the count; an open breaker rejects
// until the cooldown, then admits exactly one probe while others are rejected; a probe that
// never reports is replaced after another cooldown; probe success closes, probe failure
// re-opens from that moment; late reports while open change nothing; gauge values 0/1/2.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CLOSED, admit, afterFailure, afterSuccess, gaugeValue, wouldAdmit, type BreakerRecord } from './breaker-state.js';

const cfg = { failureThreshold: 3, cooldownMs: 1_000 };

function failTimes(n: number, at = 0, start: BreakerRecord = CLOSED): BreakerRecord {
  let r = start;
  for (let i = 0; i < n; i++) r = afterFailure(r, at, cfg);
  return r;
}

describe('closed', () => {
  test('opens on the threshold-th consecutive failure, not before', () => {
    assert.deepEqual(failTimes(2), { state: 'closed', failures: 2, openedAt: 0, probeAt: 0 });
    assert.deepEqual(failTimes(3, 500), { state: 'open', failures: 3, openedAt: 500, probeAt: 0 });
  });

  test('a success resets the consecutive count', () => {
    const r = failTimes(2, 0, afterSuccess(failTimes(2)));
    assert.equal(r.state, 'closed');
    assert.equal(r.failures, 2);
    assert.equal(afterSuccess(CLOSED), CLOSED, 'no allocation on the common path');
  });

  test('admits everyone', () => {
    assert.deepEqual(admit(failTimes(2), 0, cfg), { admission: 'closed', next: failTimes(2) });
  });
});

describe('open and half-open', () => {
  const open = failTimes(3, 10_000);

  test('rejects during the cooldown, admits one probe after it', () => {
    assert.equal(admit(open, 10_999, cfg).admission, 'open');
    assert.equal(wouldAdmit(open, 10_999, cfg), false);
    const probe = admit(open, 11_000, cfg);
    assert.equal(probe.admission, 'half-open-probe');
    assert.deepEqual(probe.next, { state: 'half-open', failures: 3, openedAt: 10_000, probeAt: 11_000 });
    assert.equal(admit(probe.next, 11_001, cfg).admission, 'open', 'a concurrent caller is rejected');
    assert.equal(wouldAdmit(probe.next, 11_500, cfg), false);
  });

  test('a probe that never reports is replaced after another cooldown', () => {
    const half = admit(open, 11_000, cfg).next;
    assert.equal(admit(half, 11_999, cfg).admission, 'open');
    const again = admit(half, 12_000, cfg);
    assert.equal(again.admission, 'half-open-probe');
    assert.equal(again.next.probeAt, 12_000);
  });

  test('probe success closes and clears the count', () => {
    const half = admit(open, 11_000, cfg).next;
    assert.deepEqual(afterSuccess(half), CLOSED);
  });

  test('probe failure re-opens with a fresh cooldown', () => {
    const half = admit(open, 11_000, cfg).next;
    const reopened = afterFailure(half, 11_200, cfg);
    assert.deepEqual(reopened, { state: 'open', failures: 3, openedAt: 11_200, probeAt: 0 });
    assert.equal(admit(reopened, 12_100, cfg).admission, 'open');
    assert.equal(admit(reopened, 12_200, cfg).admission, 'half-open-probe');
  });

  test('late reports while open change nothing', () => {
    assert.equal(afterSuccess(open), open);
    assert.equal(afterFailure(open, 10_900, cfg), open);
  });
});

test('gauge values', () => {
  assert.deepEqual((['closed', 'open', 'half-open'] as const).map(gaugeValue), [0, 1, 2]);
});
