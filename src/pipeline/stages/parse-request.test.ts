// Unit tests for the "parse" stage: content-type handling (application/json with parameters,
// +json media types, case and whitespace; text/plain, form data and a missing header rejected
// as unsupported_media_type); malformed bodies rejected as invalid_json (catalogue B1:
// truncated, trailing garbage, empty, whitespace only, top-level array/number/string/null,
// raw NUL inside a string); the nesting guard (B3: depth 65 rejected quickly even for megabytes
// of brackets, depth 64 accepted, brackets inside strings and escaped quotes not counted);
// invalid UTF-8 replaced consistently (B5); prototype pollution keys stripped at any depth with
// Object.prototype untouched (B10); and parseRequest filling body, stream and requestedModel
// only after validation passes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../errors/gateway-error.js';
import type { Operation } from '../../providers/types.js';
import type { RequestContext } from '../context.js';
import { exceedsDepth, parseJsonObject, parseRequest } from './parse-request.js';

interface FakeContext {
  req: { headers: Record<string, string | undefined> };
  rawBody: Buffer | undefined;
  operation: Operation;
  body?: Record<string, unknown>;
  stream?: boolean;
  requestedModel?: string;
}

function fakeCtx(body: string | Buffer | undefined, contentType: string | undefined = 'application/json', operation: Operation = 'chat'): FakeContext {
  return {
    req: { headers: { 'content-type': contentType } },
    rawBody: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
    operation,
  };
}

function run(ctx: FakeContext): void {
  parseRequest(ctx as unknown as RequestContext);
}

function gatewayError(fn: () => unknown, code: string, param?: string): GatewayError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof GatewayError, `expected a GatewayError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (param !== undefined) assert.equal(err.param, param);
    return err;
  }
  assert.fail(`expected ${code}`);
}

const CHAT = '{"model":"openai/gpt-4o","messages":[{"role":"user","content":"hi"}]}';

/** `{"model":…,"messages":[…],"x":` + n-1 nested arrays, so the deepest bracket sits at depth n. */
function chatWithDepth(n: number): string {
  return `{"model":"openai/gpt-4o","messages":[{"role":"user","content":"hi"}],"x":${'['.repeat(n - 1)}${']'.repeat(n - 1)}}`;
}

describe('content type', () => {
  const accepted = [
    'application/json',
    'application/json; charset=utf-8',
    'application/json;charset=UTF-8',
    'Application/JSON',
    '  application/json  ',
    'application/vnd.x+json',
    'application/merge-patch+json; charset=utf-8',
  ];
  for (const ct of accepted) {
    test(`accepts ${JSON.stringify(ct)}`, () => {
      const ctx = fakeCtx(CHAT, ct);
      run(ctx);
      assert.equal(ctx.requestedModel, 'openai/gpt-4o');
    });
  }

  const rejected: Array<string | undefined> = [undefined, '', 'text/plain', 'text/json', 'application/jsonp', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'json'];
  for (const ct of rejected) {
    test(`rejects ${ct === undefined ? 'a missing header' : JSON.stringify(ct)} as unsupported_media_type (415)`, () => {
      const ctx = fakeCtx(CHAT);
      ctx.req.headers = ct === undefined ? {} : { 'content-type': ct };
      const err = gatewayError(() => run(ctx), 'unsupported_media_type');
      assert.equal(err.status, 415);
      assert.equal(ctx.body, undefined);
    });
  }

  test('the content type is checked before the body', () => {
    gatewayError(() => run(fakeCtx('not json', 'text/plain')), 'unsupported_media_type');
  });
});

describe('malformed JSON (B1)', () => {
  const cases: Array<[string, string | Buffer | undefined, string]> = [
    ['missing body', undefined, 'The request body is empty.'],
    ['empty body', '', 'The request body is empty.'],
    ['whitespace only', '   \n', 'The request body is not valid JSON.'],
    ['truncated', '{"model":"openai/gpt-4o","messages":[{"role":"user","content":"hi"}', 'The request body is not valid JSON.'],
    ['truncated string', '{"model":"openai/gp', 'The request body is not valid JSON.'],
    ['trailing garbage', `${CHAT}xyz`, 'The request body is not valid JSON.'],
    ['two objects', `${CHAT}${CHAT}`, 'The request body is not valid JSON.'],
    ['single quotes', "{'model':'x'}", 'The request body is not valid JSON.'],
    ['trailing comma', '{"model":"x",}', 'The request body is not valid JSON.'],
    ['raw NUL in a string', Buffer.concat([Buffer.from('{"model":"a'), Buffer.from([0]), Buffer.from('b"}')]), 'The request body is not valid JSON.'],
    ['top-level array', '[{"model":"x"}]', 'The request body must be a JSON object.'],
    ['top-level number', '42', 'The request body must be a JSON object.'],
    ['top-level string', '"hello"', 'The request body must be a JSON object.'],
    ['top-level null', 'null', 'The request body must be a JSON object.'],
    ['top-level true', 'true', 'The request body must be a JSON object.'],
  ];
  for (const [name, body, message] of cases) {
    test(`${name} → invalid_json (400)`, () => {
      const ctx = fakeCtx(body);
      const err = gatewayError(() => run(ctx), 'invalid_json');
      assert.equal(err.status, 400);
      assert.equal(err.message, message);
      assert.equal(ctx.body, undefined);
    });
  }

  test('a JSON NUL escape is valid and kept', () => {
    const body = parseJsonObject(Buffer.from('{"model":"a\\u0000b"}'));
    assert.equal(body.model, 'a\u0000b');
  });

  test('invalid UTF-8 bytes become U+FFFD consistently (B5)', () => {
    const raw = Buffer.concat([Buffer.from('{"model":"openai/x","messages":[{"role":"user","content":"a'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('b"}]}')]);
    const ctx = fakeCtx(raw);
    run(ctx);
    const messages = ctx.body?.messages as Array<{ content: string }>;
    assert.equal(messages[0].content, 'a\uFFFD(\uFFFDb');
  });

  test('a leading UTF-8 BOM is tolerated', () => {
    const raw = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CHAT)]);
    assert.equal(parseJsonObject(raw).model, 'openai/gpt-4o');
  });
});

describe('nesting depth (B3)', () => {
  test('exceedsDepth counts objects and arrays alike', () => {
    assert.equal(exceedsDepth(Buffer.from('{"a":[{"b":[]}]}'), 4), false);
    assert.equal(exceedsDepth(Buffer.from('{"a":[{"b":[]}]}'), 3), true);
    assert.equal(exceedsDepth(Buffer.from('[][][][]'), 1), false);
    assert.equal(exceedsDepth(Buffer.from(''), 0), false);
  });

  test('depth 64 is accepted, depth 65 rejected', () => {
    const ok = fakeCtx(chatWithDepth(64));
    run(ok);
    assert.ok(Array.isArray(ok.body?.x));
    const err = gatewayError(() => run(fakeCtx(chatWithDepth(65))), 'invalid_json');
    assert.equal(err.message, 'The request body nests deeper than 64 levels.');
  });

  test('65 nested top-level arrays are rejected by the depth guard, not the object check', () => {
    const err = gatewayError(() => run(fakeCtx(`${'['.repeat(65)}${']'.repeat(65)}`)), 'invalid_json');
    assert.equal(err.message, 'The request body nests deeper than 64 levels.');
  });

  test('megabytes of open brackets are rejected quickly, without recursion', () => {
    const raw = Buffer.alloc(8 * 1024 * 1024, '[');
    const started = performance.now();
    const err = gatewayError(() => parseJsonObject(raw), 'invalid_json');
    const elapsed = performance.now() - started;
    assert.equal(err.message, 'The request body nests deeper than 64 levels.');
    assert.ok(elapsed < 200, `took ${elapsed.toFixed(1)} ms`);
  });

  test('a wide but shallow body is fine', () => {
    const wide = `{"model":"openai/x","messages":[{"role":"user","content":"x"}],"w":[${Array(100_000).fill('[1]').join(',')}]}`;
    const ctx = fakeCtx(wide);
    run(ctx);
    assert.equal((ctx.body?.w as unknown[]).length, 100_000);
  });

  test('brackets inside strings are not counted', () => {
    const deepText = '['.repeat(200) + '{'.repeat(200);
    const ctx = fakeCtx(`{"model":"openai/x","messages":[{"role":"user","content":"${deepText}"}]}`);
    run(ctx);
    assert.equal((ctx.body?.messages as Array<{ content: string }>)[0].content, deepText);
  });

  test('an escaped quote does not end a string', () => {
    const text = `\\"${'['.repeat(100)}`;
    assert.equal(exceedsDepth(Buffer.from(`{"a":"${text}"}`), 64), false);
    const ctx = fakeCtx(`{"model":"openai/x","messages":[{"role":"user","content":"${text}"}]}`);
    run(ctx);
    assert.equal((ctx.body?.messages as Array<{ content: string }>)[0].content, `"${'['.repeat(100)}`);
  });

  test('an escaped backslash before a quote does end the string, so brackets after it count', () => {
    const tail = '['.repeat(65) + ']'.repeat(65);
    assert.equal(exceedsDepth(Buffer.from(`{"a":"x\\\\","b":${tail}}`), 64), true);
    assert.equal(exceedsDepth(Buffer.from(`{"a":"x\\\\","b":${'['.repeat(63)}${']'.repeat(63)}}`), 64), false);
  });
});

describe('prototype pollution (B10)', () => {
  test('__proto__ at the top level is stripped and nothing is polluted', () => {
    const ctx = fakeCtx('{"__proto__":{"polluted":1},"model":"openai/x","messages":[{"role":"user","content":"x"}]}');
    run(ctx);
    const body = ctx.body ?? {};
    assert.equal(Object.hasOwn(body, '__proto__'), false);
    assert.equal(Object.getPrototypeOf(body), Object.prototype);
    assert.equal(body.polluted, undefined);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(Object.keys(body), ['model', 'messages']);
  });

  test('constructor.prototype is stripped', () => {
    const ctx = fakeCtx('{"model":"openai/x","constructor":{"prototype":{"polluted":1}},"messages":[{"role":"user","content":"x"}]}');
    run(ctx);
    const body = ctx.body ?? {};
    assert.equal(Object.hasOwn(body, 'constructor'), false);
    assert.equal(body.constructor, Object);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
  });

  test('pollution keys nested in messages and metadata are stripped too', () => {
    const ctx = fakeCtx(
      '{"model":"openai/x","metadata":{"a":{"__proto__":{"polluted":2}}},"messages":[{"role":"user","content":"x","__proto__":{"isAdmin":true},"constructor":{"prototype":{"polluted":3}}}]}',
    );
    run(ctx);
    const msg = (ctx.body?.messages as Array<Record<string, unknown>>)[0];
    assert.deepEqual(Object.keys(msg), ['role', 'content']);
    assert.equal(msg.isAdmin, undefined);
    const meta = ctx.body?.metadata as { a: Record<string, unknown> };
    assert.deepEqual(Object.keys(meta.a), []);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
  });

  test('a harmless "constructor" string value is kept', () => {
    const body = parseJsonObject(Buffer.from('{"model":"x","constructor":"just text"}'));
    assert.equal(Object.hasOwn(body, 'constructor'), true);
    assert.equal(body.constructor, 'just text');
  });
});

describe('parseRequest', () => {
  test('stores the body, the stream flag and the requested model', () => {
    const ctx = fakeCtx('{"model":"openrouter/anthropic/claude-3.5-sonnet","messages":[{"role":"user","content":"hi"}],"stream":true}');
    run(ctx);
    assert.deepEqual(ctx.body, { model: 'openrouter/anthropic/claude-3.5-sonnet', messages: [{ role: 'user', content: 'hi' }], stream: true });
    assert.equal(ctx.stream, true);
    assert.equal(ctx.requestedModel, 'openrouter/anthropic/claude-3.5-sonnet');
  });

  test('stream is false unless exactly true', () => {
    for (const stream of ['false', 'null']) {
      const ctx = fakeCtx(`{"model":"openai/x","messages":[{"role":"user","content":"x"}],"stream":${stream}}`);
      run(ctx);
      assert.equal(ctx.stream, false);
    }
    const ctx = fakeCtx(CHAT);
    run(ctx);
    assert.equal(ctx.stream, false);
  });

  test('validation runs for the context operation and leaves the context untouched on failure', () => {
    const ctx = fakeCtx('{"model":"openai/x","messages":[]}');
    gatewayError(() => run(ctx), 'invalid_request', 'messages');
    assert.equal(ctx.body, undefined);
    assert.equal(ctx.requestedModel, undefined);
    const emb = fakeCtx('{"model":"openai/text-embedding-3-small","input":"hello"}', 'application/json', 'embeddings');
    run(emb);
    assert.equal(emb.body?.input, 'hello');
    gatewayError(() => run(fakeCtx('{"model":"openai/x"}', 'application/json', 'completions')), 'invalid_request', 'prompt');
  });
});
