import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTracing } from './gateway-tracing.js';
import { tracingConfigSchema } from '../observability-config.js';
import { TargetForbiddenError } from '../../security/address-policy.js';

test('S8: a tracing exporter at a metadata or link-local literal is refused at start', () => {
  for (const endpoint of ['http://169.254.169.254/v1/traces', 'http://[fe80::1]:4318/v1/traces', 'http://0xa9fea9fe/v1/traces']) {
    const cfg = tracingConfigSchema.parse({ enabled: true, otlp: { endpoint } });
    assert.throws(() => openTracing(cfg), TargetForbiddenError, endpoint);
  }
  const langfuse = tracingConfigSchema.parse({ enabled: true, langfuse: { publicKey: 'pk', secretKey: 'sk', baseUrl: 'http://[::ffff:169.254.169.254]' } });
  assert.throws(() => openTracing(langfuse), TargetForbiddenError);
});

test('a loopback collector is still accepted under the default policy', async () => {
  const tracing = openTracing(tracingConfigSchema.parse({ enabled: true, otlp: { endpoint: 'http://127.0.0.1:4318/v1/traces' } }));
  assert.ok(tracing);
  await tracing.shutdown();
});
