// Unit tests for the "resolve" stage (catalogue B8): `provider/model` splits at the first slash
// so model ids keep their own slashes; a route alias yields its targets (with params) in order,
// filtered to the providers that support the operation; an unknown provider, a bare model name,
// an empty provider or model part, and names that look like Object.prototype members are
// model_not_found (404, param "model") with no silent default; a provider or route that cannot
// serve the operation is operation_not_supported; resolveTarget writes targets and routeAlias
// into the context. The RuntimeConfig is built through loadConfigDocument.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigDocument } from '../../config/load.js';
import { GatewayError } from '../../errors/gateway-error.js';
import type { RequestContext, ResolvedTarget } from '../context.js';
import { resolveModel, resolveTarget } from './resolve-target.js';
import { createResilienceRuntime } from '../../resilience/resilience-runtime.js';

const config = loadConfigDocument({
  providers: {
    openai: { type: 'openai', apiKey: 'sk-o' },
    openrouter: { type: 'openai', baseUrl: 'https://openrouter.ai/api/v1', apiKey: 'sk-or' },
    anthropic: { type: 'anthropic', apiKey: 'sk-ant' },
  },
  routes: {
    smart: {
      targets: [
        { provider: 'anthropic', model: 'claude-sonnet-4-5' },
        { provider: 'openai', model: 'gpt-4o', params: { max_tokens: 100 } },
        { provider: 'openrouter', model: 'meta-llama/llama-3-70b' },
      ],
    },
    claude: { targets: [{ provider: 'anthropic', model: 'claude-haiku-4-5' }] },
  },
}, {});

function names(targets: readonly ResolvedTarget[]): string[] {
  return targets.map((t) => `${t.provider.name}|${t.model}`);
}

function notFound(name: string): GatewayError {
  try {
    resolveModel(config, name, 'chat');
  } catch (err) {
    assert.ok(err instanceof GatewayError, String(err));
    assert.equal(err.code, 'model_not_found');
    assert.equal(err.status, 404);
    assert.equal(err.param, 'model');
    return err;
  }
  assert.fail(`expected ${name} to be model_not_found`);
}

describe('provider/model', () => {
  test('splits at the first slash; the model keeps further slashes', () => {
    const r = resolveModel(config, 'openrouter/anthropic/claude-3.5-sonnet', 'chat');
    assert.deepEqual(names(r.targets), ['openrouter|anthropic/claude-3.5-sonnet']);
    assert.equal(r.targets[0].provider, config.providers.get('openrouter'));
    assert.equal(r.targets[0].params, undefined);
    assert.equal(r.alias, undefined);
  });

  test('a plain provider/model', () => {
    assert.deepEqual(names(resolveModel(config, 'openai/gpt-4o-mini', 'chat').targets), ['openai|gpt-4o-mini']);
    assert.deepEqual(names(resolveModel(config, 'openai/text-embedding-3-small', 'embeddings').targets), ['openai|text-embedding-3-small']);
  });

  test('any model id is passed on, even one not advertised by /v1/models', () => {
    assert.deepEqual(names(resolveModel(config, 'openai/ft:gpt-4o:acme:1', 'chat').targets), ['openai|ft:gpt-4o:acme:1']);
  });

  test('an unknown provider is model_not_found naming the model', () => {
    const err = notFound('mistral/mistral-large');
    assert.match(err.message, /^The model "mistral\/mistral-large" is not available/);
  });

  test('a bare model name is model_not_found: no silent default provider', () => {
    notFound('gpt-4o');
    notFound('openai');
  });

  test('an empty provider or model part is model_not_found', () => {
    notFound('openai/');
    notFound('/gpt-4o');
    notFound('/');
    notFound('');
  });

  test('provider names are matched exactly', () => {
    notFound('OpenAI/gpt-4o');
    notFound(' openai/gpt-4o');
  });

  test('names that look like prototype members are not providers or routes', () => {
    for (const name of ['__proto__/x', 'constructor/x', 'toString/x', 'hasOwnProperty', 'constructor', '__proto__']) notFound(name);
  });

  test('the name echoed in the message is capped at 256 characters', () => {
    const long = `nope/${'m'.repeat(1000)}`;
    const err = notFound(long);
    assert.ok(err.message.includes(`"${long.slice(0, 256)}"`));
    assert.equal(err.message.includes(long.slice(0, 257)), false);
  });

  test('a provider lacking the operation is operation_not_supported', () => {
    try {
      resolveModel(config, 'anthropic/claude-sonnet-4-5', 'embeddings');
      assert.fail('expected operation_not_supported');
    } catch (err) {
      assert.ok(err instanceof GatewayError);
      assert.equal(err.code, 'operation_not_supported');
      assert.equal(err.status, 400);
      assert.equal(err.param, 'model');
      assert.equal(err.message, 'The model "anthropic/claude-sonnet-4-5" cannot serve embeddings requests.');
    }
    assert.throws(() => resolveModel(config, 'anthropic/claude-sonnet-4-5', 'completions'), { code: 'operation_not_supported' });
  });
});

describe('route aliases', () => {
  test('an alias yields its targets in order with their params', () => {
    const r = resolveModel(config, 'smart', 'chat');
    assert.equal(r.alias, 'smart');
    assert.deepEqual(names(r.targets), ['anthropic|claude-sonnet-4-5', 'openai|gpt-4o', 'openrouter|meta-llama/llama-3-70b']);
    assert.deepEqual(r.targets[1].params, { max_tokens: 100 });
    assert.equal(r.targets[0].params, undefined);
    assert.equal(r.targets[1].provider, config.providers.get('openai'));
  });

  test('targets that cannot serve the operation are dropped', () => {
    const r = resolveModel(config, 'smart', 'embeddings');
    assert.equal(r.alias, 'smart');
    assert.deepEqual(names(r.targets), ['openai|gpt-4o', 'openrouter|meta-llama/llama-3-70b']);
  });

  test('an alias none of whose targets support the operation is operation_not_supported', () => {
    assert.throws(() => resolveModel(config, 'claude', 'embeddings'), (err: unknown) => {
      assert.ok(err instanceof GatewayError);
      assert.equal(err.code, 'operation_not_supported');
      assert.equal(err.param, 'model');
      return true;
    });
  });

  test('each call returns a fresh target list', () => {
    const a = resolveModel(config, 'smart', 'chat');
    a.targets.pop();
    assert.equal(resolveModel(config, 'smart', 'chat').targets.length, 3);
  });

  test('aliases are matched exactly', () => {
    notFound('Smart');
    notFound('smart/x');
  });
});

function context(requestedModel: string, operation: string, extra: Record<string, unknown> = {}): RequestContext {
  return {
    config, requestedModel, operation, targets: [], routeAlias: 'stale', tenant: null,
    labels: { operation: null, user: null, metadata: null, collectLog: true, customCost: null },
    req: { headers: {} },
    shared: createResilienceRuntime(config.breaker, 0.2),
    ...extra,
  } as unknown as RequestContext;
}

describe('resolveTarget', () => {
  test('writes the ordered targets and the alias into the context', async () => {
    const ctx = context('smart', 'chat');
    await resolveTarget(ctx);
    assert.equal(ctx.routeAlias, 'smart');
    assert.deepEqual(names(ctx.targets), ['anthropic|claude-sonnet-4-5', 'openai|gpt-4o', 'openrouter|meta-llama/llama-3-70b']);
  });

  test('a direct model leaves routeAlias undefined, and one healthy target is resolved at once', () => {
    const ctx = context('openrouter/anthropic/claude-3.5-sonnet', 'completions');
    assert.equal(resolveTarget(ctx), undefined, 'no promise to await');
    assert.equal(ctx.routeAlias, undefined);
    assert.deepEqual(names(ctx.targets), ['openrouter|anthropic/claude-3.5-sonnet']);
  });

  test('failures propagate and leave the targets as they were', async () => {
    const ctx = context('nope/x', 'chat');
    await assert.rejects(async () => resolveTarget(ctx), { code: 'model_not_found' });
    assert.deepEqual(ctx.targets, []);
  });

  test('an open breaker drops its target; all open is circuit_open', async () => {
    const ctx = context('smart', 'chat');
    for (let i = 0; i < 5; i++) await ctx.shared.breaker.onFailure('anthropic/claude-sonnet-4-5');
    await resolveTarget(ctx);
    assert.deepEqual(names(ctx.targets), ['openai|gpt-4o', 'openrouter|meta-llama/llama-3-70b']);
    const direct = context('anthropic/claude-sonnet-4-5', 'chat', { shared: ctx.shared });
    await assert.rejects(async () => resolveTarget(direct), { code: 'circuit_open' });
  });

  test('confidential data with no trusted target is refused', async () => {
    const ctx = context('smart', 'chat', { req: { headers: { 'x-tollgate-sensitivity': 'confidential' } } });
    await assert.rejects(async () => resolveTarget(ctx), { code: 'target_not_allowed' });
  });
});
