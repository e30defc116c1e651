// Unit tests for the strict config schema: an empty document gets every default; unknown keys
// are rejected at every level (root, server, admin, auth, resilience, timeouts, logging, a
// route, a route target, a provider entry) with the path of the offending object; provider
// entries are validated by their adapter's schema chosen by `type` (unknown type, bad baseUrl,
// a field of another type); provider and alias names follow the name rule; routes naming an
// unknown provider or colliding with a provider name are rejected with their path; and the
// scalar rules for storage, state, admin.apiKey, port, bodyLimitMb and enums hold.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema } from './schema.js';

interface Issue {
  path: PropertyKey[];
  message: string;
}

/** Parses and returns the issues, each as `path: message`, failing when the document passes. */
function issues(doc: unknown): string[] {
  const r = configSchema.safeParse(doc);
  assert.equal(r.success, false, `expected ${JSON.stringify(doc)} to be rejected`);
  return (r.error?.issues ?? []).map((i: Issue) => `${i.path.map(String).join('.')}: ${i.message}`);
}

function accepts(doc: unknown): void {
  const r = configSchema.safeParse(doc);
  assert.equal(r.success, true, r.success ? '' : JSON.stringify(r.error.issues));
}

const openai = { type: 'openai', apiKey: 'sk-test' };

describe('defaults', () => {
  test('an empty document is filled with every default', () => {
    assert.deepEqual(configSchema.parse({}), {
      server: {
        host: '127.0.0.1', port: 8787, bodyLimitMb: 20, trustedProxies: [], drainMs: 10_000,
        maxInFlight: 4096, maxRssMb: 0, headersTimeoutMs: 15_000, requestTimeoutMs: 60_000, heapGrowthPercent: 50,
      },
      storage: 'sqlite://./data/tollgate.db',
      state: 'memory://',
      admin: {},
      auth: { mode: 'managed', trustedBackends: [], requireKey: false },
      providers: {},
      routes: {},
      resilience: {
        maxAttempts: 3,
        backoff: { type: 'exponential', baseMs: 200, maxMs: 5000 },
        retryBudgetRatio: 0.2,
        maxRetryAfterMs: 30_000,
        fallbackOnStatus: [],
        circuitBreaker: { failureThreshold: 5, cooldownMs: 30_000 },
        timeouts: { connectMs: 5_000, firstByteMs: 30_000, idleMs: 30_000, totalMs: 120_000 },
      },
      pricing: {},
      cache: {
        enabled: false, defaultTtl: 3600, minTtl: 60, maxTtl: 2_592_000, scope: 'tenant', shared: 'auto',
        sqlitePath: './data/cache.db', redisPrefix: 'tollgate:cache:', cacheLengthTruncated: false, coalesceWaitMs: 30_000,
        semantic: { threshold: 0.95, maxEntries: 10_000, timeoutMs: 2_000 },
      },
      operations: {},
      tenants: {},
      keys: [],
      rateLimits: { replicas: 1 },
      budgets: { tiers: {}, exhaustedStatus: 402, defaultMaxOutputTokens: 4096, approachingAt: 0.8 },
      alerts: {
        enabled: true, evaluateEvery: 15_000, destinations: {}, builtins: {}, rules: [], quotas: [],
        delivery: { maxAttempts: 5, timeout: 10_000, queueCapacity: 1_000 }, reports: {},
      },
      logging: { format: 'json', level: 'info', payloads: false, requests: true, retentionDays: 30, spoolDir: './data/spool', queue: { capacity: 100_000, batchSize: 500, flushMs: 250 } },
      metrics: { enabled: true, maxOperations: 50 },
      tracing: { enabled: false, serviceName: 'tollgate', sampleRatio: 1, batchDelayMs: 2_000 },
      security: { privateNetworks: 'allow', allowPrivateHosts: [] },
    });
  });

  test('partial sections keep their other defaults', () => {
    const cfg = configSchema.parse({ server: { port: 9000 }, resilience: { timeouts: { idleMs: 5 } }, logging: { level: 'warn' } });
    assert.deepEqual(cfg.server, {
      host: '127.0.0.1', port: 9000, bodyLimitMb: 20, trustedProxies: [], drainMs: 10_000,
      maxInFlight: 4096, maxRssMb: 0, headersTimeoutMs: 15_000, requestTimeoutMs: 60_000, heapGrowthPercent: 50,
    });
    assert.deepEqual(cfg.resilience.timeouts, { connectMs: 5_000, firstByteMs: 30_000, idleMs: 5, totalMs: 120_000 });
    assert.deepEqual(cfg.logging, { ...{ format: 'json', level: 'info', payloads: false, requests: true, retentionDays: 30, spoolDir: './data/spool', queue: { capacity: 100_000, batchSize: 500, flushMs: 250 } }, level: 'warn' });
  });

  test('route strategy defaults to fallback; provider defaults come from the adapter schema', () => {
    const cfg = configSchema.parse({
      providers: { openai, anthropic: { type: 'anthropic', apiKey: 'k' } },
      routes: { smart: { targets: [{ provider: 'openai', model: 'gpt-4o' }] } },
    });
    assert.equal(cfg.routes.smart.strategy, 'fallback');
    assert.deepEqual(cfg.providers.anthropic, { type: 'anthropic', apiKey: 'k', version: '2023-06-01', defaultMaxTokens: 4096 });
    assert.deepEqual(cfg.providers.openai, openai);
  });
});

describe('unknown keys are errors at every level', () => {
  const cases: Array<[string, unknown, string]> = [
    ['root', { bogus: 1 }, ''],
    ['server', { server: { prot: 1 } }, 'server'],
    ['admin', { admin: { key: 'x' } }, 'admin'],
    ['auth', { auth: { mode: 'managed', strict: true } }, 'auth'],
    ['resilience', { resilience: { retries: 3 } }, 'resilience'],
    ['timeouts', { resilience: { timeouts: { connectMS: 1 } } }, 'resilience.timeouts'],
    ['logging', { logging: { colour: true } }, 'logging'],
    ['provider entry', { providers: { openai: { ...openai, region: 'eu' } } }, 'providers.openai'],
    ['route', { providers: { openai }, routes: { r: { targets: [{ provider: 'openai', model: 'm' }], retries: 2 } } }, 'routes.r'],
    ['route target', { providers: { openai }, routes: { r: { targets: [{ provider: 'openai', model: 'm', prio: 1 }] } } }, 'routes.r.targets.0'],
  ];
  for (const [name, doc, path] of cases) {
    test(name, () => {
      const found = issues(doc);
      assert.equal(found.length, 1, found.join('\n'));
      assert.match(found[0], new RegExp(`^${path.replace(/\./g, '\\.')}: Unrecognized key`));
    });
  }
});

describe('provider entries are validated by type', () => {
  test('an unknown type is rejected at providers.<name>.type', () => {
    const found = issues({ providers: { x: { type: 'not-a-provider' } } });
    assert.equal(found.length, 1);
    assert.match(found[0], /^providers\.x\.type: /);
  });

  test('a missing type is rejected', () => {
    assert.match(issues({ providers: { x: { apiKey: 'k' } } })[0], /^providers\.x\.type: /);
  });

  test('an openai entry with a bad baseUrl is rejected, without echoing the value', () => {
    for (const baseUrl of ['not a url', 'ftp://files.example.com/v1', 'file:///etc/passwd', 'javascript:alert(1)', '']) {
      const found = issues({ providers: { openai: { type: 'openai', baseUrl } } });
      assert.equal(found.length, 1, `${baseUrl}: ${found.join()}`);
      assert.match(found[0], /^providers\.openai\.baseUrl: /);
      if (baseUrl.length > 3) assert.equal(found[0].includes(baseUrl), false);
    }
  });

  test('http and https base URLs are accepted', () => {
    accepts({ providers: { local: { type: 'openai', baseUrl: 'http://127.0.0.1:8000/v1' } } });
    accepts({ providers: { openai: { type: 'openai', baseUrl: 'https://api.openai.com/v1' } } });
  });

  test('a field of another provider type is rejected', () => {
    assert.match(issues({ providers: { openai: { type: 'openai', version: '2023-06-01' } } })[0], /^providers\.openai: Unrecognized key/);
    accepts({ providers: { a: { type: 'anthropic', version: '2023-06-01' } } });
  });

  test('common fields are type-checked', () => {
    assert.match(issues({ providers: { openai: { type: 'openai', apiKey: '' } } })[0], /^providers\.openai\.apiKey: /);
    assert.match(issues({ providers: { openai: { type: 'openai', models: [''] } } })[0], /^providers\.openai\.models\.0: /);
    assert.match(issues({ providers: { openai: { type: 'openai', headers: { a: 1 } } } })[0], /^providers\.openai\.headers\.a: /);
    assert.match(issues({ providers: { openai: { type: 'openai', trusted: 'yes' } } })[0], /^providers\.openai\.trusted: /);
  });

  test('provider names follow the name rule', () => {
    accepts({ providers: { 'my-openai_2.eu': openai } });
    accepts({ providers: { ['a'.repeat(64)]: openai } });
    for (const name of ['Bad Name', '-lead', '', 'a'.repeat(65), 'a/b']) {
      assert.match(issues({ providers: { [name]: openai } })[0], /^providers\./, name);
    }
  });
});

describe('routes', () => {
  const providers = { openai, anthropic: { type: 'anthropic', apiKey: 'k' } };

  test('a valid fallback route with weights and params', () => {
    accepts({
      providers,
      routes: {
        smart: {
          strategy: 'weighted',
          targets: [{ provider: 'openai', model: 'gpt-4o', weight: 3, params: { max_tokens: 100 } }, { provider: 'anthropic', model: 'claude-sonnet-4-5' }],
        },
      },
    });
  });

  test('a target naming an unknown provider is rejected with its path', () => {
    const found = issues({ providers, routes: { smart: { targets: [{ provider: 'openai', model: 'm' }, { provider: 'azure', model: 'm' }] } } });
    assert.deepEqual(found, ['routes.smart.targets.1.provider: unknown provider "azure"']);
  });

  test('an alias colliding with a provider name is rejected with its path', () => {
    const found = issues({ providers, routes: { openai: { targets: [{ provider: 'anthropic', model: 'm' }] } } });
    assert.deepEqual(found, ['routes.openai: route alias "openai" collides with a provider name']);
  });

  test('a route without targets, with an unknown strategy, or with a bad weight is rejected', () => {
    assert.match(issues({ providers, routes: { r: { targets: [] } } })[0], /^routes\.r\.targets: /);
    assert.match(issues({ providers, routes: { r: {} } })[0], /^routes\.r\.targets: /);
    assert.match(issues({ providers, routes: { r: { strategy: 'random', targets: [{ provider: 'openai', model: 'm' }] } } })[0], /^routes\.r\.strategy: /);
    assert.match(issues({ providers, routes: { r: { targets: [{ provider: 'openai', model: 'm', weight: 0 }] } } })[0], /^routes\.r\.targets\.0\.weight: /);
    assert.match(issues({ providers, routes: { r: { targets: [{ provider: 'openai', model: '' }] } } })[0], /^routes\.r\.targets\.0\.model: /);
  });

  test('alias names follow the name rule', () => {
    assert.match(issues({ providers, routes: { 'bad alias': { targets: [{ provider: 'openai', model: 'm' }] } } })[0], /^routes\./);
  });
});

describe('scalar rules', () => {
  test('storage and state URLs', () => {
    accepts({ storage: 'postgres://u@h:5432/db', state: 'redis://127.0.0.1:6379' });
    accepts({ storage: 'postgresql://h/db', state: 'rediss://h:6380' });
    assert.deepEqual(issues({ storage: 'mysql://h/db' }), ['storage: must start with sqlite://, postgres:// or none://']);
    assert.deepEqual(issues({ state: 'memcached://h' }), ['state: must start with memory:// or redis://']);
  });

  test('admin.apiKey needs 16 characters and the message does not echo it', () => {
    const found = issues({ admin: { apiKey: 's3cr3t' } });
    assert.deepEqual(found, ['admin.apiKey: admin.apiKey must be at least 16 characters']);
    accepts({ admin: { apiKey: '0123456789abcdef' } });
  });

  test('server bounds', () => {
    assert.match(issues({ server: { port: 70000 } })[0], /^server\.port: /);
    assert.match(issues({ server: { port: 80.5 } })[0], /^server\.port: /);
    assert.match(issues({ server: { port: 'eighty' } })[0], /^server\.port: /);
    assert.match(issues({ server: { bodyLimitMb: 0 } })[0], /^server\.bodyLimitMb: /);
    assert.match(issues({ server: { bodyLimitMb: 513 } })[0], /^server\.bodyLimitMb: /);
    assert.match(issues({ server: { drainMs: -1 } })[0], /^server\.drainMs: /);
    accepts({ server: { port: 0, bodyLimitMb: 0.5 } });
  });

  test('enums and booleans', () => {
    assert.match(issues({ auth: { mode: 'open' } })[0], /^auth\.mode: /);
    assert.match(issues({ logging: { level: 'verbose' } })[0], /^logging\.level: /);
    assert.match(issues({ logging: { payloads: 'no' } })[0], /^logging\.payloads: /);
    assert.match(issues({ resilience: { timeouts: { totalMs: 0 } } })[0], /^resilience\.timeouts\.totalMs: /);
    accepts({ auth: { mode: 'passthrough' }, logging: { format: 'pretty', level: 'silent', payloads: true } });
  });

  test('a non-object document is rejected at the root', () => {
    assert.match(issues([])[0], /^: /);
    assert.match(issues('text')[0], /^: /);
  });
});

describe('cache and operations sections', () => {
  test('accept policies, reject unknown keys and inverted TTL bounds', () => {
    const cfg = configSchema.parse({
      cache: { enabled: true, defaultTtl: '600', scope: 'user' },
      operations: { resume_parsing: { cacheTtl: 86_400, expectCacheHits: true }, application_generation: { cache: 'skip' }, job_compat: { scope: 'user', cacheTtl: 604_800 } },
    });
    assert.equal(cfg.cache.defaultTtl, 600);
    assert.equal(cfg.operations.application_generation.cache, 'skip');
    assert.equal(cfg.operations.resume_parsing.expectCacheHits, true);
    assert.equal(configSchema.safeParse({ cache: { enabeld: true } }).success, false);
    assert.equal(configSchema.safeParse({ operations: { x: { cacheTTL: 5 } } }).success, false);
    assert.equal(configSchema.safeParse({ cache: { minTtl: 600, maxTtl: 60 } }).success, false);
    assert.equal(configSchema.safeParse({ operations: { 'bad name!': {} } }).success, false);
  });
});
