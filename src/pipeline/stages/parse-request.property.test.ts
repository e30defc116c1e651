// Property tests (B12, B10, B3) for the "parse" stage and the body validator it calls: for any
// content type and any body bytes, parseRequest either accepts (and then body, stream and
// requestedModel are consistent) or throws a GatewayError with a catalogue code and a 4xx status
// — never anything else; unsupported_media_type exactly for non-JSON media types; keys spelling
// `__proto__`/`constructor` (any JSON escapes, any depth) never survive parsing nor touch
// Object.prototype; the nesting guard agrees with the real depth of valid JSON; and well-formed
// bodies of every operation are accepted. Seeded, bounded.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzParams, loadCorpus } from '../../../test/fuzz-corpus/corpus.js';
import { ERROR_CATALOGUE } from '../../errors/catalogue.js';
import { GatewayError } from '../../errors/gateway-error.js';
import type { Operation } from '../../providers/types.js';
import type { RequestContext } from '../context.js';
import { exceedsDepth, parseJsonObject, parseRequest } from './parse-request.js';

const OPERATIONS: Operation[] = ['chat', 'completions', 'embeddings'];

interface Ctx { req: { headers: Record<string, string | undefined> }; rawBody: Buffer | undefined; operation: Operation; body?: Record<string, unknown>; stream?: boolean; requestedModel?: string }

/** Runs the stage; returns the context on success, or the error after checking it is a client error. */
function runStage(body: Buffer | undefined, contentType: string | undefined, operation: Operation): Ctx | GatewayError {
  const ctx: Ctx = { req: { headers: { 'content-type': contentType } }, rawBody: body, operation };
  try {
    parseRequest(ctx as unknown as RequestContext);
    return ctx;
  } catch (err) {
    assert.ok(err instanceof GatewayError, `threw a non-GatewayError: ${String(err)}`);
    assert.ok(Object.hasOwn(ERROR_CATALOGUE, err.code), `unknown code ${err.code}`);
    assert.ok(err.status >= 400 && err.status < 500, `status ${err.status} for ${err.code}`);
    return err;
  }
}

function assertAccepted(r: Ctx | GatewayError): Ctx {
  assert.ok(!(r instanceof GatewayError), r instanceof GatewayError ? `${r.code}: ${r.message}` : '');
  assert.equal(typeof r.requestedModel, 'string');
  assert.equal(r.stream, r.body?.stream === true);
  return r;
}

const PROTO_KEYS_BEFORE = Object.getOwnPropertyNames(Object.prototype).sort();

/** Object.prototype unchanged, and no object in `v` carries a dangerous own key or prototype. */
function assertNoPollution(v: unknown): void {
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), PROTO_KEYS_BEFORE);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    const proto = Object.getPrototypeOf(node);
    assert.ok(proto === Object.prototype || proto === Array.prototype, 'prototype replaced');
    assert.ok(!Object.hasOwn(node, '__proto__'), 'own __proto__ survived');
    const ctor = (node as Record<string, unknown>).constructor;
    assert.ok(!(Object.hasOwn(node, 'constructor') && ctor !== null && typeof ctor === 'object' && Object.hasOwn(ctor, 'prototype')), 'constructor.prototype survived');
    assert.equal(Object.getPrototypeOf(Object.assign({}, node)), Object.prototype, 'Object.assign changed a prototype');
    stack.push(...Object.values(node));
  }
}

/** A JSON string literal for `s` with each character randomly written as a \u escape (any hex case). */
const escapedKey = (s: string) => fc.array(fc.integer({ min: 0, max: 3 }), { minLength: s.length, maxLength: s.length }).map((modes) =>
  '"' + [...s].map((ch, i) => {
    const hex = ch.charCodeAt(0).toString(16).padStart(4, '0');
    return modes[i] === 0 ? `\\u${hex}` : modes[i] === 1 ? `\\u${hex.toUpperCase()}` : ch;
  }).join('') + '"');

const dangerousKey = fc.constantFrom('__proto__', 'constructor', 'prototype').chain(escapedKey);
const payload = fc.oneof(
  fc.constant('{"polluted":true}'),
  fc.constant('{"prototype":{"polluted":true}}'),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
);
/** JSON text of an object mixing ordinary and dangerous keys, nested a few levels. */
const pollutingJson: fc.Arbitrary<string> = fc.letrec((tie) => ({
  obj: fc.array(fc.tuple(fc.oneof(dangerousKey, fc.string({ maxLength: 6 }).map((k) => JSON.stringify(k))), fc.oneof({ depthSize: 'small' }, payload, tie('obj'))), { maxLength: 5 })
    .map((pairs) => `{${pairs.map(([k, v]) => `${k}:${v}`).join(',')}}`),
})).obj as fc.Arbitrary<string>;

const contentType = fc.oneof(
  fc.constantFrom('application/json', 'application/json; charset=utf-8', ' Application/JSON ', 'application/vnd.api+json', undefined, ''),
  fc.string({ maxLength: 30 }),
);
const anyBody = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
  fc.json({ maxDepth: 4 }).map((s) => Buffer.from(s)),
  fc.string({ maxLength: 64 }).map((s) => Buffer.from(s)),
  fc.constant(undefined),
);

const message = fc.record({ role: fc.constantFrom('system', 'developer', 'user', 'assistant', 'tool'), content: fc.oneof(fc.string(), fc.constant(null)) });
const common = { model: fc.string({ minLength: 1, maxLength: 40 }), stream: fc.option(fc.boolean(), { nil: undefined }), max_tokens: fc.option(fc.integer({ min: 1, max: 1_048_576 }), { nil: undefined }), temperature: fc.option(fc.double({ min: 0, max: 2, noNaN: true }), { nil: undefined }) };
const validBody: Record<Operation, fc.Arbitrary<Record<string, unknown>>> = {
  chat: fc.record({ ...common, messages: fc.array(message, { minLength: 1, maxLength: 4 }) }, { requiredKeys: ['model', 'messages'] }),
  completions: fc.record({ ...common, prompt: fc.oneof(fc.string(), fc.array(fc.string(), { minLength: 1, maxLength: 3 })) }, { requiredKeys: ['model', 'prompt'] }),
  embeddings: fc.record({ model: common.model, input: fc.oneof(fc.string({ minLength: 1 }), fc.array(fc.string(), { minLength: 1, maxLength: 3 })) }),
};

function depthOf(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  return 1 + Math.max(0, ...Object.values(v).map(depthOf));
}

describe('parse stage properties', () => {
  test('any content type and body: accepted, or a catalogue 4xx GatewayError', () => {
    fc.assert(fc.property(anyBody, contentType, fc.constantFrom(...OPERATIONS), (body, ct, op) => {
      const r = runStage(body, ct, op);
      if (!(r instanceof GatewayError)) assertAccepted(r);
    }), fuzzParams(500));
  });

  test('arbitrary JSON objects as bodies never throw anything but a 4xx GatewayError', () => {
    const obj = fc.dictionary(fc.constantFrom('model', 'messages', 'prompt', 'input', 'stream', 'stream_options', 'user', 'max_tokens', 'n', 'temperature', 'top_p'), fc.jsonValue({ maxDepth: 3 }));
    fc.assert(fc.property(obj, fc.constantFrom(...OPERATIONS), (o, op) => {
      runStage(Buffer.from(JSON.stringify(o)), 'application/json', op);
    }), fuzzParams(500));
  });

  test('unsupported_media_type exactly when the media type is not JSON', () => {
    const mediaType = fc.oneof(contentType, fc.tuple(fc.constantFrom('application/', 'Application/', 'text/', 'application/x+', ''), fc.constantFrom('json', 'JSON', 'x+json', 'jsonx', '+json', ''), fc.constantFrom('', ';', '; charset=utf-8', ' ;q=1', ',json')).map((p) => p.join('')));
    const body = Buffer.from('{"model":"m","input":"x"}');
    fc.assert(fc.property(mediaType, (ct) => {
      const type = (ct ?? '').split(';')[0].trim().toLowerCase();
      const json = ct !== undefined && ct !== '' && (type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json')));
      const r = runStage(body, ct, 'embeddings');
      assert.equal(r instanceof GatewayError && r.code === 'unsupported_media_type', !json, `content type ${JSON.stringify(ct)}`);
    }), fuzzParams(300));
  });

  test('well-formed bodies of every operation are accepted', () => {
    for (const op of OPERATIONS) {
      fc.assert(fc.property(validBody[op], (b) => {
        const ctx = assertAccepted(runStage(Buffer.from(JSON.stringify(b)), 'application/json', op));
        assert.equal(ctx.requestedModel, b.model);
      }), fuzzParams(150));
    }
  });

  test('__proto__ / constructor keys in any spelling never survive nor pollute (B10)', () => {
    fc.assert(fc.property(pollutingJson, (text) => {
      let parsed: Record<string, unknown>;
      try {
        parsed = parseJsonObject(Buffer.from(text));
      } catch (err) {
        assert.ok(err instanceof GatewayError && err.code === 'invalid_json', String(err));
        return;
      }
      assertNoPollution(parsed);
    }), fuzzParams(500));
  });

  test('the nesting guard agrees with the real depth of valid JSON (B3)', () => {
    const deep = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small', maxDepth: 80 }, fc.string({ maxLength: 4 }), fc.constantFrom('[', '{', '"\\"', '\\\\'), fc.array(tie('v'), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 3 }), tie('v'), { maxKeys: 2 })),
    })).v;
    fc.assert(fc.property(deep, fc.integer({ min: 1, max: 8 }), (v, limit) => {
      const buf = Buffer.from(JSON.stringify(v));
      assert.equal(exceedsDepth(buf, limit), depthOf(v) > limit);
    }), fuzzParams(400));
    fc.assert(fc.property(fc.integer({ min: 60, max: 70 }), fc.constantFrom('[', '{"a":'), (n, open) => {
      const close = open === '[' ? ']' : '}';
      const text = open.repeat(n) + '1' + close.repeat(n);
      const body = `{"model":"m","x":${text}}`;
      const r = runStage(Buffer.from(body), 'application/json', 'embeddings');
      assert.ok(r instanceof GatewayError);
      if (n + 1 > 64) assert.equal(r.code, 'invalid_json');
      else assert.equal(r.param, 'input');
    }), fuzzParams(30));
  });
});

interface ParseCorpusEntry { name: string; operation?: Operation; contentType?: string | null; body?: string; hex?: string; code?: string | null }

describe('parse stage seed corpus', () => {
  for (const e of loadCorpus<ParseCorpusEntry>('parse-request')) {
    test(e.name, () => {
      const body = e.hex !== undefined ? Buffer.from(e.hex, 'hex') : e.body === undefined ? undefined : Buffer.from(e.body, 'utf8');
      const r = runStage(body, e.contentType === null ? undefined : e.contentType ?? 'application/json', e.operation ?? 'chat');
      if (e.code === undefined) return;
      if (e.code === null) assertNoPollution(assertAccepted(r).body);
      else assert.equal(r instanceof GatewayError ? r.code : 'accepted', e.code);
    });
  }
});
