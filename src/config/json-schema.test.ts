// Smoke tests for the generated JSON Schema of tollgate.yaml: it is a 2020-12 object schema with
// a title, closed at the root, with `properties.providers` offering one entry schema per
// registered provider type; and, checked with a small validator for the keywords the generator
// emits (type, properties, required, additionalProperties, propertyNames, pattern, enum, const,
// oneOf, items, minItems, minLength, minimum, maximum, exclusiveMinimum), it accepts documents
// the zod schema accepts and rejects a few the zod schema rejects, so editors agree with the
// gateway.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { configJsonSchema } from './json-schema.js';
import { configSchema } from './schema.js';
import { ADAPTERS } from '../providers/registry.js';

type Schema = Record<string, unknown>;

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Returns the list of violations of `value` against `schema` (empty when valid). */
function validate(schema: Schema, value: unknown, path = '$'): string[] {
  const errors: string[] = [];
  const t = schema.type as string | undefined;
  if (t !== undefined) {
    const actual = typeOf(value);
    if (!(actual === t || (t === 'number' && actual === 'integer'))) return [`${path}: expected ${t}, got ${actual}`];
  }
  if ('const' in schema && value !== schema.const) errors.push(`${path}: expected const ${String(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors.push(`${path}: not in enum`);
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) errors.push(`${path}: too short`);
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) errors.push(`${path}: does not match ${schema.pattern}`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${path}: below minimum`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${path}: above maximum`);
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) errors.push(`${path}: not above exclusiveMinimum`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) errors.push(`${path}: too few items`);
    if (schema.items && typeof schema.items === 'object') {
      value.forEach((v, i) => errors.push(...validate(schema.items as Schema, v, `${path}[${i}]`)));
    }
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[]) if (!(key in obj)) errors.push(`${path}: missing ${key}`);
    for (const [k, v] of Object.entries(obj)) {
      if (schema.propertyNames) errors.push(...validate(schema.propertyNames as Schema, k, `${path}{${k}}`));
      if (k in props) errors.push(...validate(props[k], v, `${path}.${k}`));
      else if (schema.additionalProperties === false) errors.push(`${path}: unexpected ${k}`);
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        errors.push(...validate(schema.additionalProperties as Schema, v, `${path}.${k}`));
      }
    }
  }
  if (Array.isArray(schema.oneOf)) {
    const passing = (schema.oneOf as Schema[]).filter((s) => validate(s, value, path).length === 0).length;
    if (passing !== 1) errors.push(`${path}: matches ${passing} of oneOf`);
  }
  for (const key of ['anyOf', 'allOf', '$ref', 'if']) {
    if (key in schema) errors.push(`${path}: validator does not support ${key}`);
  }
  return errors;
}

const VALID_DOCS: readonly unknown[] = [
  {},
  { server: { host: '0.0.0.0', port: 8080, bodyLimitMb: 5, trustedProxies: ['10.0.0.0/8'], drainMs: 0 } },
  {
    storage: 'postgres://tg@db:5432/tollgate',
    state: 'redis://127.0.0.1:6379',
    admin: { apiKey: '0123456789abcdef' },
    auth: { mode: 'passthrough' },
    providers: {
      openai: { type: 'openai', apiKey: 'sk-x', organization: 'org', models: ['gpt-4o'], trusted: false, headers: { 'x-a': 'b' } },
      anthropic: { type: 'anthropic', apiKey: 'k', version: '2023-06-01', defaultMaxTokens: 1024 },
      local: { type: 'openai', baseUrl: 'http://127.0.0.1:8000/v1' },
    },
    routes: {
      smart: { strategy: 'weighted', targets: [{ provider: 'openai', model: 'gpt-4o', weight: 1.5, params: { max_tokens: 5 } }, { provider: 'anthropic', model: 'claude' }] },
    },
    resilience: { timeouts: { connectMs: 1, firstByteMs: 2, idleMs: 3, totalMs: 4 } },
    logging: { format: 'pretty', level: 'trace', payloads: true },
  },
];

const INVALID_DOCS: readonly unknown[] = [
  { bogus: true },
  { server: { port: 70000 } },
  { server: { port: 'eighty' } },
  { storage: 'mysql://x' },
  { providers: { x: { type: 'martian' } } },
  { providers: { x: { type: 'openai', extra: 1 } } },
  { routes: { r: { targets: [] } } },
  { logging: { level: 'loud' } },
];

describe('configJsonSchema', () => {
  const schema = configJsonSchema();

  test('has the expected top-level shape', () => {
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.equal(schema.title, 'Tollgate configuration (tollgate.yaml)');
    assert.equal(schema.type, 'object');
    assert.equal(schema.additionalProperties, false);
    const props = schema.properties as Record<string, Schema>;
    assert.deepEqual(Object.keys(props).sort(), ['admin', 'alerts', 'auth', 'budgets', 'cache', 'keys', 'logging', 'metrics', 'operations', 'pricing', 'providers', 'rateLimits', 'resilience', 'routes', 'security', 'server', 'state', 'storage', 'tenants', 'tracing']);
    assert.equal(props.providers.type, 'object');
  });

  test('providers offers one entry schema per registered adapter, keyed by a const type', () => {
    const providers = (schema.properties as Record<string, Schema>).providers;
    const entries = (providers.additionalProperties as Schema).oneOf as Schema[];
    const types = entries.map((e) => ((e.properties as Record<string, Schema>).type).const);
    assert.deepEqual(types, ADAPTERS.map((a) => a.type));
    for (const e of entries) {
      assert.equal(e.additionalProperties, false);
      assert.ok((e.required as string[]).includes('type'));
    }
  });

  test('is deterministic and JSON-serializable', () => {
    assert.equal(JSON.stringify(configJsonSchema()), JSON.stringify(schema));
  });

  test('accepts documents the zod schema accepts', () => {
    for (const doc of VALID_DOCS) {
      assert.equal(configSchema.safeParse(doc).success, true, JSON.stringify(doc));
      assert.deepEqual(validate(schema, doc), [], JSON.stringify(doc));
    }
  });

  test('accepts mixed-case provider and alias names, as the zod schema does', () => {
    const doc = { providers: { OpenAI: { type: 'openai' } }, routes: { Smart: { targets: [{ provider: 'OpenAI', model: 'gpt-4o' }] } } };
    assert.equal(configSchema.safeParse(doc).success, true);
    assert.deepEqual(validate(schema, doc), []);
  });

  test('rejects documents the zod schema rejects (the validator is not vacuous)', () => {
    for (const doc of INVALID_DOCS) {
      assert.equal(configSchema.safeParse(doc).success, false, JSON.stringify(doc));
      assert.notDeepEqual(validate(schema, doc), [], JSON.stringify(doc));
    }
  });
});
