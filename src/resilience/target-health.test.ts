// Unit tests for target-health.ts: breaker state dominates (open is unhealthy, half-open is
// degraded), a high error rate degrades only with enough samples, the threshold is inclusive,
// and custom thresholds apply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessHealth } from './target-health.js';

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
