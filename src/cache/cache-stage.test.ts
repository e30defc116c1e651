/**
 * The cache stage with real key derivation and real stores (in-process LRU over a SQLite
 * file), driven with request contexts built as the edge builds them. S4: 10,000 randomized
 * tenant pairs never get another tenant's answer; TTL expiry under an injected clock; scope and
 * control decisions that the e2e tests cannot reach cheaply.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigDocument } from '../config/load.js';
import type { RuntimeConfig } from '../config/compile.js';
import { openRequestScope } from '../http/request-scope.js';
import { createResilienceRuntime } from '../resilience/resilience-runtime.js';
import { resolveModel } from '../pipeline/stages/resolve-target.js';
import type { RequestContext } from '../pipeline/context.js';
import { seededRandom } from '../resilience/seeded-random.js';
import { openCacheRuntime, type CacheRuntime } from './cache-runtime.js';
import { cacheLookup } from './cache-stage.js';
import { storeJsonAnswer, tapJsonAnswer, tapStreamAnswer } from './cache-tap.js';

function config(cache: Record<string, unknown>): RuntimeConfig {
  return loadConfigDocument({
    storage: 'none://',
    providers: { up: { type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1' } },
    cache: { enabled: true, ...cache },
  }, {});
}

interface Probe { ctx: RequestContext; written: () => string | undefined }

function probe(cfg: RuntimeConfig, rt: CacheRuntime, tenant: string | null, body: Record<string, unknown>, headers: Record<string, string> = {}): Probe {
  const req = new IncomingMessage(new Socket());
  req.headers = headers;
  const res = new ServerResponse(req);
  let written: string | undefined;
  res.writeHead = (() => res) as unknown as typeof res.writeHead;
  res.end = ((chunk: unknown) => { written = String(chunk); return res; }) as typeof res.end;
  const { ctx } = openRequestScope(createResilienceRuntime(cfg.breaker, 0.2), cfg, 'chat', req, res, undefined);
  ctx.cacheRuntime = rt;
  ctx.tenant = tenant;
  ctx.body = body;
  ctx.stream = body.stream === true;
  ctx.requestedModel = String(body.model);
  ctx.labels = { operation: headers['x-tollgate-operation'] ?? null, user: headers['x-tollgate-user'] ?? null, metadata: null, collectLog: true, customCost: null };
  ctx.targets = resolveModel(cfg, ctx.requestedModel, 'chat').targets;
  return { ctx, written: () => written };
}

/** What the upstream stage would do on a miss: answer, then tap. */
function answer(p: Probe, text: string): void {
  p.ctx.target = p.ctx.targets[0];
  p.ctx.status = 200;
  p.ctx.usage = { inputTokens: 3, outputTokens: 4 };
  p.ctx.costMicros = 11;
  storeJsonAnswer(p.ctx, tapJsonAnswer(p.ctx, text));
}

const BODY = { model: 'up/m', messages: [{ role: 'user', content: 'same prompt for everyone' }] };

function tenantPool(random: () => number): Array<string | null> {
  const tricky = [null, 'null', '', ' ', 'acme', 'ACME', 'acme ', 'a:b', '["tenant",null]', 'tenant', 'global', 'g', '\u0000', 'é', '🙂', '"', '\\', 't0123456789abcdef'];
  const pool: Array<string | null> = [...tricky];
  for (let i = 0; i < 3000; i++) pool.push(`tenant-${Math.floor(random() * 1e9).toString(36)}`);
  return pool;
}

describe('S4 tenant isolation', () => {
  test('10,000 randomized tenant pairs: a hit is only ever the same tenant\'s own answer', async () => {
    const cfg = config({ sqlitePath: join(mkdtempSync(join(tmpdir(), 'tollgate-s4-')), 'cache.db'), shared: 'sqlite' });
    const rt = openCacheRuntime(cfg.cache, undefined);
    const random = seededRandom(4242);
    const pool = tenantPool(random);
    const pick = () => pool[Math.floor(random() * pool.length)];
    const stored = new Set<string | null>();
    let hits = 0;
    let crossTenant = 0;
    const visit = async (tenant: string | null): Promise<void> => {
      const p = probe(cfg, rt, tenant, BODY);
      await cacheLookup(p.ctx);
      if (p.ctx.cacheStatus === 'HIT') {
        hits++;
        if (p.written() !== JSON.stringify({ owner: tenant })) crossTenant++;
        assert.ok(stored.has(tenant), 'a hit only for a tenant that stored');
      } else {
        assert.equal(p.ctx.cacheStatus, 'MISS');
        assert.ok(!stored.has(tenant), 'a tenant that stored must hit');
        answer(p, JSON.stringify({ owner: tenant }));
        stored.add(tenant);
      }
    };
    for (let i = 0; i < 10_000; i++) {
      const a = pick();
      const b = pick();
      await visit(a);
      await visit(b);
    }
    assert.equal(crossTenant, 0);
    assert.ok(hits > 1000, 'the test exercised real hits');
    // The SQLite layer alone keeps tenants apart too.
    await rt.cache.memory.flush();
    const p = probe(cfg, rt, 'never-seen-tenant', BODY);
    await cacheLookup(p.ctx);
    assert.equal(p.ctx.cacheStatus, 'MISS');
    await new Promise((r) => setImmediate(r));
    await rt.cache.close();
  });

  test('null tenant, a tenant named "null" and global scope are three key spaces', async () => {
    const rt = openCacheRuntime(config({ shared: 'none' }).cache, undefined);
    const cfg = config({ shared: 'none' });
    const first = probe(cfg, rt, null, BODY);
    await cacheLookup(first.ctx);
    answer(first, '{"owner":null}');
    for (const [tenant, headers] of [['null', {}], [null, { 'x-tollgate-cache-scope': 'global' }]] as const) {
      const p = probe(cfg, rt, tenant, BODY, headers);
      await cacheLookup(p.ctx);
      assert.equal(p.ctx.cacheStatus, 'MISS');
      answer(p, '{}');
    }
  });
});

describe('TTL and accounting', () => {
  test('an entry expires after its TTL (injected clock), in memory and in SQLite', async () => {
    let now = 1_700_000_000_000;
    const cfg = config({ defaultTtl: 120, sqlitePath: join(mkdtempSync(join(tmpdir(), 'tollgate-ttl-')), 'cache.db'), shared: 'sqlite' });
    const rt = openCacheRuntime(cfg.cache, undefined, () => now);
    const first = probe(cfg, rt, 'acme', BODY);
    await cacheLookup(first.ctx);
    answer(first, '{"a":1}');
    await new Promise((r) => setImmediate(r)); // the SQLite write commits on the next turn
    now += 119_000;
    const before = probe(cfg, rt, 'acme', BODY);
    await cacheLookup(before.ctx);
    assert.equal(before.ctx.cacheStatus, 'HIT');
    assert.equal(before.ctx.costMicros, 0);
    assert.equal(before.ctx.savedMicros, 11);
    assert.deepEqual(before.ctx.usage, { inputTokens: 3, outputTokens: 4 });
    await rt.cache.memory.flush();
    const fromSqlite = probe(cfg, rt, 'acme', BODY);
    await cacheLookup(fromSqlite.ctx);
    assert.equal(fromSqlite.ctx.cacheStatus, 'HIT', 'the shared layer serves after the LRU lost it');
    now += 2_000;
    const after = probe(cfg, rt, 'acme', BODY);
    await cacheLookup(after.ctx);
    assert.equal(after.ctx.cacheStatus, 'MISS');
    await rt.cache.close();
  });

  test('TTL header is clamped to [minTtl, maxTtl]', async () => {
    let now = 1_700_000_000_000;
    const cfg = config({ minTtl: 60, maxTtl: 300, shared: 'none' });
    const rt = openCacheRuntime(cfg.cache, undefined, () => now);
    const body = { ...BODY, temperature: 0 };
    const p = probe(cfg, rt, 'acme', body, { 'x-tollgate-cache-ttl': '99999' });
    await cacheLookup(p.ctx);
    answer(p, '{}');
    now += 301_000;
    const later = probe(cfg, rt, 'acme', body);
    await cacheLookup(later.ctx);
    assert.equal(later.ctx.cacheStatus, 'MISS');
  });

  test('a disabled cache marks requests BYPASS and stores nothing', async () => {
    const cfg = loadConfigDocument({ storage: 'none://', providers: { up: { type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1' } } }, {});
    const rt = openCacheRuntime(cfg.cache, undefined);
    const p = probe(cfg, rt, null, BODY);
    // Decided at once: no promise for the pipeline to await.
    assert.equal(cacheLookup(p.ctx), undefined);
    assert.equal(p.ctx.cacheStatus, 'BYPASS');
    assert.equal(p.ctx.cachePending, undefined);
    const skipped = probe(config({ shared: 'none' }), rt, null, BODY, { 'x-tollgate-skip-cache': 'true' });
    assert.equal(cacheLookup(skipped.ctx), undefined);
    assert.equal(skipped.ctx.cacheStatus, 'BYPASS');
  });

  test('a stream cut by finish_reason length is stored only with cacheLengthTruncated', async () => {
    for (const allow of [false, true]) {
      const cfg = config({ shared: 'none', cacheLengthTruncated: allow });
      const rt = openCacheRuntime(cfg.cache, undefined);
      const body = { ...BODY, stream: true };
      const p = probe(cfg, rt, 'acme', body);
      await cacheLookup(p.ctx);
      p.ctx.target = p.ctx.targets[0];
      p.ctx.status = 200;
      p.ctx.delivered.push('{"id":"x","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":"length"}]}');
      tapStreamAnswer(p.ctx);
      assert.equal(rt.cache.stats().stored, allow ? 1 : 0);
    }
  });
});
