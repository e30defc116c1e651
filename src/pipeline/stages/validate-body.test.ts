// Unit tests for parameter validation of the OpenAI-compatible endpoints (catalogue B9): each
// rejected body gives invalid_request (400) with `param` naming the field — model missing or
// malformed; stream not a boolean; stream_options not an object; user too long; max_tokens and
// max_completion_tokens negative, zero, fractional, huge or not numbers; n=0 and n=1000;
// temperature and top_p out of range; messages empty, not an array, too many, holding
// non-objects, bad roles or bad content types; embeddings input empty, non-string, or over 2048
// items; completions prompt missing or empty array. The boundary values just inside each limit
// are accepted, and unknown parameters pass through untouched for the provider to judge.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../errors/gateway-error.js';
import type { Operation } from '../../providers/types.js';
import { validateBody } from './validate-body.js';

const user = { role: 'user', content: 'hi' };

function chat(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'openai/gpt-4o', messages: [user], ...extra };
}

function rejects(operation: Operation, body: Record<string, unknown>, param: string): GatewayError {
  try {
    validateBody(operation, body);
  } catch (err) {
    assert.ok(err instanceof GatewayError, String(err));
    assert.equal(err.code, 'invalid_request');
    assert.equal(err.status, 400);
    assert.equal(err.param, param, `param for ${JSON.stringify(body).slice(0, 200)}`);
    assert.ok(err.message.length > 0 && err.message !== 'The request is invalid.', 'the detail explains the rule');
    return err;
  }
  assert.fail(`expected ${JSON.stringify(body).slice(0, 200)} to be rejected on ${param}`);
}

function accepts(operation: Operation, body: Record<string, unknown>): void {
  assert.doesNotThrow(() => validateBody(operation, body), JSON.stringify(body).slice(0, 200));
}

describe('model', () => {
  test('missing, empty, too long or not a string', () => {
    rejects('chat', { messages: [user] }, 'model');
    rejects('chat', chat({ model: '' }), 'model');
    rejects('chat', chat({ model: 'x'.repeat(257) }), 'model');
    rejects('chat', chat({ model: 42 }), 'model');
    rejects('chat', chat({ model: ['openai/gpt-4o'] }), 'model');
    rejects('embeddings', { input: 'x' }, 'model');
  });

  test('256 characters is still fine', () => {
    accepts('chat', chat({ model: 'x'.repeat(256) }));
  });

  test('the model is checked before the messages', () => {
    rejects('chat', { messages: [] }, 'model');
  });
});

describe('stream, stream_options, user', () => {
  test('stream must be a boolean', () => {
    const err = rejects('chat', chat({ stream: 'yes' }), 'stream');
    assert.equal(err.message, 'stream must be a boolean.');
    rejects('chat', chat({ stream: 1 }), 'stream');
    accepts('chat', chat({ stream: true }));
    accepts('chat', chat({ stream: false }));
    accepts('chat', chat({ stream: null }));
  });

  test('stream_options must be an object', () => {
    rejects('chat', chat({ stream: true, stream_options: [] }), 'stream_options');
    rejects('chat', chat({ stream: true, stream_options: [{ include_usage: true }] }), 'stream_options');
    rejects('chat', chat({ stream: true, stream_options: 'include_usage' }), 'stream_options');
    rejects('chat', chat({ stream: true, stream_options: true }), 'stream_options');
    accepts('chat', chat({ stream: true, stream_options: { include_usage: true } }));
    accepts('chat', chat({ stream_options: null }));
  });

  test('user must be a short string', () => {
    rejects('chat', chat({ user: 42 }), 'user');
    rejects('chat', chat({ user: 'u'.repeat(257) }), 'user');
    accepts('chat', chat({ user: 'u'.repeat(256) }));
    rejects('embeddings', { model: 'openai/e', input: 'x', user: {} }, 'user');
  });
});

describe('token and sampling bounds', () => {
  for (const key of ['max_tokens', 'max_completion_tokens']) {
    test(`${key}: negative, zero, fractional, huge, non-numeric`, () => {
      for (const bad of [-1, 0, 1.5, 1_048_577, 1e12, Number.MAX_SAFE_INTEGER, '100', true, [], {}]) {
        const err = rejects('chat', chat({ [key]: bad }), key);
        assert.equal(err.message, `${key} must be an integer between 1 and 1048576.`);
      }
      for (const good of [1, 1024, 1_048_576, null]) accepts('chat', chat({ [key]: good }));
      rejects('completions', { model: 'openai/x', prompt: 'p', [key]: 0 }, key);
    });
  }

  test('n: 0 and 1000 rejected, 1 and 128 accepted', () => {
    rejects('chat', chat({ n: 1000 }), 'n');
    rejects('chat', chat({ n: 0 }), 'n');
    rejects('chat', chat({ n: 129 }), 'n');
    rejects('chat', chat({ n: 2.5 }), 'n');
    accepts('chat', chat({ n: 1 }));
    accepts('chat', chat({ n: 128 }));
  });

  test('temperature in [0, 2]', () => {
    const err = rejects('chat', chat({ temperature: 3 }), 'temperature');
    assert.equal(err.message, 'temperature must be a number between 0 and 2.');
    rejects('chat', chat({ temperature: -0.1 }), 'temperature');
    rejects('chat', chat({ temperature: 'hot' }), 'temperature');
    rejects('chat', chat({ temperature: Number.POSITIVE_INFINITY }), 'temperature');
    rejects('chat', chat({ temperature: Number.NaN }), 'temperature');
    for (const t of [0, 0.7, 2, null]) accepts('chat', chat({ temperature: t }));
  });

  test('top_p in [0, 1]', () => {
    rejects('chat', chat({ top_p: 1.5 }), 'top_p');
    rejects('chat', chat({ top_p: -1 }), 'top_p');
    accepts('chat', chat({ top_p: 0 }));
    accepts('chat', chat({ top_p: 1 }));
  });

  test('the first failing parameter is reported, in a fixed order', () => {
    rejects('chat', chat({ max_tokens: -1, n: 1000, temperature: 3 }), 'max_tokens');
    rejects('chat', chat({ n: 1000, temperature: 3 }), 'n');
  });
});

describe('messages', () => {
  test('missing, not an array, or empty', () => {
    const err = rejects('chat', chat({ messages: [] }), 'messages');
    assert.equal(err.message, 'messages must be a non-empty array.');
    rejects('chat', { model: 'openai/x' }, 'messages');
    rejects('chat', chat({ messages: 'hello' }), 'messages');
    rejects('chat', chat({ messages: { 0: user } }), 'messages');
    rejects('chat', chat({ messages: null }), 'messages');
  });

  test('more than 100000 messages', () => {
    const many = Array.from({ length: 100_001 }, () => user);
    rejects('chat', chat({ messages: many }), 'messages');
    accepts('chat', chat({ messages: many.slice(1) }));
  });

  test('each message must be an object', () => {
    rejects('chat', chat({ messages: [null] }), 'messages[0]');
    rejects('chat', chat({ messages: [user, 'hi'] }), 'messages[1]');
    rejects('chat', chat({ messages: [user, user, []] }), 'messages[2]');
  });

  test('roles', () => {
    rejects('chat', chat({ messages: [{ role: 'admin', content: 'x' }] }), 'messages[0].role');
    rejects('chat', chat({ messages: [user, { content: 'x' }] }), 'messages[1].role');
    rejects('chat', chat({ messages: [{ role: 'User', content: 'x' }] }), 'messages[0].role');
    rejects('chat', chat({ messages: [{ role: 7, content: 'x' }] }), 'messages[0].role');
    for (const role of ['system', 'developer', 'user', 'assistant', 'tool', 'function']) {
      accepts('chat', chat({ messages: [{ role, content: 'x' }] }));
    }
  });

  test('content must be a string, an array of parts, or absent/null', () => {
    rejects('chat', chat({ messages: [user, { role: 'user', content: 42 }] }), 'messages[1].content');
    rejects('chat', chat({ messages: [{ role: 'user', content: { type: 'text', text: 'x' } }] }), 'messages[0].content');
    rejects('chat', chat({ messages: [{ role: 'user', content: false }] }), 'messages[0].content');
    accepts('chat', chat({ messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] }));
    accepts('chat', chat({ messages: [{ role: 'assistant', content: null, tool_calls: [] }] }));
    accepts('chat', chat({ messages: [{ role: 'assistant' }] }));
    accepts('chat', chat({ messages: [{ role: 'user', content: '' }] }));
  });
});

describe('embeddings input', () => {
  const emb = (input: unknown): Record<string, unknown> => ({ model: 'openai/text-embedding-3-small', input });

  test('empty string, empty array, missing, or not a string/array', () => {
    assert.equal(rejects('embeddings', emb(''), 'input').message, 'input must not be empty.');
    assert.equal(rejects('embeddings', emb([]), 'input').message, 'input must be a string or a non-empty array.');
    rejects('embeddings', { model: 'openai/e' }, 'input');
    rejects('embeddings', emb(42), 'input');
    rejects('embeddings', emb({ text: 'x' }), 'input');
    rejects('embeddings', emb(null), 'input');
  });

  test('3000 items rejected, 2048 accepted', () => {
    assert.equal(rejects('embeddings', emb(Array(3000).fill('x')), 'input').message, 'input may hold at most 2048 items.');
    rejects('embeddings', emb(Array(2049).fill('x')), 'input');
    accepts('embeddings', emb(Array(2048).fill('x')));
  });

  test('a string or token arrays are accepted; chat-only bounds are not applied', () => {
    accepts('embeddings', emb('hello'));
    accepts('embeddings', emb(['a', 'b']));
    accepts('embeddings', emb([[1, 2, 3]]));
    accepts('embeddings', { ...emb('x'), dimensions: 256, encoding_format: 'float' });
  });
});

describe('completions prompt', () => {
  const comp = (extra: Record<string, unknown>): Record<string, unknown> => ({ model: 'openai/gpt-3.5-turbo-instruct', ...extra });

  test('missing, empty array, or a bad type', () => {
    assert.equal(rejects('completions', comp({}), 'prompt').message, 'prompt must be a string or a non-empty array.');
    rejects('completions', comp({ prompt: [] }), 'prompt');
    rejects('completions', comp({ prompt: 5 }), 'prompt');
    rejects('completions', comp({ prompt: null }), 'prompt');
  });

  test('a string (even empty) or a non-empty array is accepted, and sampling bounds apply', () => {
    accepts('completions', comp({ prompt: 'Once upon' }));
    accepts('completions', comp({ prompt: '' }));
    accepts('completions', comp({ prompt: ['a', 'b'] }));
    rejects('completions', comp({ prompt: 'x', temperature: 3 }), 'temperature');
    rejects('completions', comp({ prompt: 'x', n: 1000 }), 'n');
  });

  test('completions do not require messages, chat does not require prompt', () => {
    accepts('completions', comp({ prompt: 'x' }));
    accepts('chat', chat());
  });
});

describe('pass-through of other parameters', () => {
  test('unknown and provider-specific parameters are not judged here', () => {
    const body = chat({ tools: [{ type: 'function', function: { name: 'f' } }], response_format: { type: 'json_object' }, seed: 7, reasoning_effort: 'high', x_vendor_flag: [1, 2] });
    const copy = structuredClone(body);
    accepts('chat', body);
    assert.deepEqual(body, copy, 'validation never mutates the body');
  });
});
