// Unit tests for target-health.ts: breaker state dominates (open is unhealthy, half-open is
// degraded), a high error rate degrades only with enough samples, the threshold is inclusive,
// and custom thresholds apply; a probe's verdict: no probe, pending or up say nothing against
// a provider, one failure degrades it, two in a row make it unhealthy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessHealth, probeHealth } from './target-health.js';
import { PENDING } from './provider-prober.js';

test('breaker state dominates the error rate', () => {
  assert.equal(assessHealth('open', { errorRate: 0, samples: 100 }), 'unhealthy');
  assert.equal(assessHealth('half-open', { errorRate: 0, samples: 0 }), 'degraded');
});

test('error rate degrades a closed target only with enough samples', () => {
  assert.equal(assessHealth('closed', { errorRate: 0.5, samples: 10 }), 'degraded');
  assert.equal(assessHealth('closed', { errorRate: 0.49, samples: 10 }), 'healthy');
  assert.equal(assessHealth('closed', { errorRate: 1, samples: 9 }), 'healthy');
  assert.equal(assessHealth('closed', { errorRate: 0, samples: 0 }), 'healthy');
});

test('custom thresholds', () => {
  assert.equal(assessHealth('closed', { errorRate: 0.1, samples: 3 }, { degradedErrorRate: 0.1, minSamples: 3 }), 'degraded');
});

test('probe verdict: one failure degrades, two in a row are unhealthy', () => {
  const down = (n: number) => ({ status: 'down' as const, lastCheck: 1, latencyMs: 1, errorCode: 'upstream_timeout', consecutiveFailures: n });
  assert.equal(probeHealth(undefined), 'healthy');
  assert.equal(probeHealth(PENDING), 'healthy');
  assert.equal(probeHealth({ ...PENDING, status: 'up', lastCheck: 1 }), 'healthy');
  assert.equal(probeHealth(down(1)), 'degraded');
  assert.equal(probeHealth(down(2)), 'unhealthy');
  assert.equal(probeHealth(down(9)), 'unhealthy');
});
