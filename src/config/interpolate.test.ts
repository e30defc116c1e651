// Unit tests for `${VAR}` / `${VAR:-default}` interpolation over a parsed config tree: plain
// and defaulted references, several references in one string, an empty env value treated as
// unset, forms that are not references left alone, no recursive expansion of env values, only
// string values touched (keys, numbers, booleans and null untouched), a missing variable
// raising InterpolationError naming the config path (object keys and array indexes), and
// `__proto__` keys dropped so the output cannot carry a polluted prototype (catalogue B10).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { interpolateEnv, InterpolationError } from './interpolate.js';

describe('interpolateEnv', () => {
  test('replaces ${VAR} inside string values', () => {
    const out = interpolateEnv({ providers: { openai: { type: 'openai', apiKey: '${OPENAI_API_KEY}' } } }, { OPENAI_API_KEY: 'sk-1' });
    assert.deepEqual(out, { providers: { openai: { type: 'openai', apiKey: 'sk-1' } } });
  });

  test('uses the default when the variable is unset or empty, and the value when set', () => {
    assert.equal(interpolateEnv('${PORT:-8787}', {}), '8787');
    assert.equal(interpolateEnv('${PORT:-8787}', { PORT: '' }), '8787');
    assert.equal(interpolateEnv('${PORT:-8787}', { PORT: '9000' }), '9000');
    assert.equal(interpolateEnv('${EMPTY_DEFAULT:-}', {}), '');
    assert.equal(interpolateEnv('${URL:-http://127.0.0.1:8000/v1}', {}), 'http://127.0.0.1:8000/v1');
  });

  test('expands several references and keeps the surrounding text', () => {
    const env = { USER_NAME: 'tg', HOST: 'db.local' };
    assert.equal(interpolateEnv('postgres://${USER_NAME}@${HOST}:${PGPORT:-5432}/x', env), 'postgres://tg@db.local:5432/x');
  });

  test('leaves text that is not a reference alone', () => {
    const env = { A: 'x' };
    assert.equal(interpolateEnv('$A and $$ and ${} and ${1A} and ${A-b}', env), '$A and $$ and ${} and ${1A} and ${A-b}');
  });

  test('does not expand references inside an env value', () => {
    assert.equal(interpolateEnv('${A}', { A: '${B}', B: 'no' }), '${B}');
  });

  test('an env value with YAML or JSON syntax stays a plain string', () => {
    assert.deepEqual(interpolateEnv({ k: '${V}' }, { V: 'a: [1, {b: 2}]\n- x' }), { k: 'a: [1, {b: 2}]\n- x' });
  });

  test('keys are never interpolated; non-string scalars pass through', () => {
    const out = interpolateEnv({ '${KEY}': '${KEY}', n: 1, b: true, z: null, list: [2, false, '${KEY}'] }, { KEY: 'v' });
    assert.deepEqual(out, { '${KEY}': 'v', n: 1, b: true, z: null, list: [2, false, 'v'] });
  });

  test('returns new objects and arrays, leaving the input untouched', () => {
    const input = { a: { b: ['${X}'] } };
    const out = interpolateEnv(input, { X: '1' });
    assert.deepEqual(input, { a: { b: ['${X}'] } });
    assert.notEqual(out, input);
  });

  test('a missing variable is an error naming the path and the variable', () => {
    assert.throws(
      () => interpolateEnv({ providers: { openai: { apiKey: '${OPENAI_API_KEY}' } } }, {}),
      (err: unknown) => {
        assert.ok(err instanceof InterpolationError);
        assert.equal(err.name, 'InterpolationError');
        assert.equal(err.path, 'providers.openai.apiKey');
        assert.equal(err.variable, 'OPENAI_API_KEY');
        assert.equal(err.message, 'providers.openai.apiKey: environment variable OPENAI_API_KEY is not set');
        return true;
      },
    );
  });

  test('an empty value without a default is treated as missing', () => {
    assert.throws(() => interpolateEnv({ admin: { apiKey: '${ADMIN}' } }, { ADMIN: '' }), /admin\.apiKey: environment variable ADMIN is not set/);
  });

  test('the path names array indexes and the root', () => {
    assert.throws(() => interpolateEnv({ keys: [{ key: 'ok' }, { key: '${ACME_KEY}' }] }, {}), (err: unknown) => {
      assert.ok(err instanceof InterpolationError);
      assert.equal(err.path, 'keys[1].key');
      return true;
    });
    assert.throws(() => interpolateEnv(['${A}'], {}), (err: unknown) => err instanceof InterpolationError && err.path === '[0]');
    assert.throws(() => interpolateEnv('${A}', {}), (err: unknown) => err instanceof InterpolationError && err.path === '(root)');
  });

  test('the first missing variable in a string is reported even when a later one is set', () => {
    assert.throws(() => interpolateEnv({ s: '${MISSING}-${SET}' }, { SET: 'x' }), (err: unknown) => err instanceof InterpolationError && err.variable === 'MISSING');
  });

  test('__proto__ keys are dropped at any depth and nothing is polluted (B10)', () => {
    const doc = JSON.parse('{"__proto__":{"polluted":1},"a":{"__proto__":{"polluted":2},"b":"${X}"}}') as unknown;
    const out = interpolateEnv(doc, { X: 'y' }) as Record<string, unknown>;
    assert.deepEqual(Object.keys(out), ['a']);
    assert.equal(Object.hasOwn(out, '__proto__'), false);
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    const a = out.a as Record<string, unknown>;
    assert.deepEqual(Object.keys(a), ['b']);
    assert.equal(a.b, 'y');
    assert.equal(Object.getPrototypeOf(a), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(a.polluted, undefined);
  });
});
