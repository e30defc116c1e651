import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ELLIPSIS, maskBounded, maskText } from './mask-text.js';
import { TEXT_CANARIES, findLeaks } from './canaries.js';

/** Every way a canary reaches a log: in prose, a JSON body, a query string, double-encoded. */
function carriers(value: string): Record<string, string> {
  const sentence = `please use ${value} for this.\nthanks`;
  return {
    plain: sentence,
    json: JSON.stringify({ messages: [{ role: 'user', content: sentence }] }),
    jsonTwice: JSON.stringify(JSON.stringify({ content: value })),
    url: `https://api.example.test/v1?q=${encodeURIComponent(sentence)}&n=1`,
    urlOfJson: `payload=${encodeURIComponent(JSON.stringify({ v: value }))}`,
    quoted: `"${value}"`,
    bare: value,
  };
}

test('every text canary vanishes in plain, JSON-escaped and URL-encoded forms', () => {
  for (const canary of TEXT_CANARIES) {
    for (const [form, text] of Object.entries(carriers(canary.value))) {
      const masked = maskText(text);
      assert.deepEqual(findLeaks(masked, [canary]), [], `${canary.kind} ${canary.value} (${form}) → ${masked}`);
    }
  }
});

test('each kind is replaced by its marker', () => {
  assert.equal(maskText('mail alice.smith@example.com now'), 'mail [EMAIL] now');
  assert.equal(maskText('call +1 415 555 0132 today'), 'call [PHONE] today');
  assert.equal(maskText('call (415) 555-0147 today'), 'call [PHONE] today');
  assert.equal(maskText('card 4111 1111 1111 1111 ok'), 'card [CARD] ok');
  assert.equal(maskText('key sk-Xk29fLq8Vn3Rt7Wb1Zc5Md0Hs4Jp6G'), 'key sk-[REDACTED]');
  assert.equal(maskText('key sk-proj-Tq7Rz2Lm9Xv4Bn8K'), 'key sk-proj-[REDACTED]');
  assert.equal(maskText('key sk-ant-api03-Pw4Kx8Ln2Rv6'), 'key sk-ant-[REDACTED]');
  assert.equal(maskText('key AIzaSyD8kQ2mX7vL4pN9rT3wZ6bC1fH5jK0sY2e'), 'key AIza[REDACTED]');
  assert.equal(maskText('id AKIAIOSFODNN7EXAMPLE'), 'id AKIA[REDACTED]');
  assert.equal(maskText('Authorization: Bearer abc123DEF456ghi'), 'Authorization: Bearer [REDACTED]');
  assert.equal(maskText('tok eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig'), 'tok eyJ[REDACTED]');
  assert.equal(maskText('ghp_aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3h'), 'ghp_[REDACTED]');
  assert.equal(maskText('xoxb-1234567890-abcdef'), 'xoxb-[REDACTED]');
  assert.equal(maskText('sk_live_4eC39HqLyjWDarjtT1zdp7dc'), 'sk_live_[REDACTED]');
});

test('secrets in DSNs and assignments are redacted, the rest kept for debugging', () => {
  assert.equal(maskText('connect postgres://app:s3cret@db:5432/x failed'), 'connect postgres://app:[REDACTED]@db:5432/x failed');
  assert.equal(maskText('redis://:pw@cache:6379'), 'redis://:[REDACTED]@cache:6379');
  assert.equal(maskText('{"password":"hunter2","user":"x"}'), '{"password":"[REDACTED]","user":"x"}');
  assert.equal(maskText('db_password=hunter2&x=1'), 'db_password=[REDACTED]&x=1');
  assert.equal(maskText('api_key%3Dabc123'), 'api_key%3D[REDACTED]');
  assert.equal(maskText('hook?token=9f8e7d6c5b4a3f2e1d0c&x=1'), 'hook?token=[REDACTED]&x=1');
  assert.equal(maskText('%5Ct(415)%20555-0147'), '%5Ct[PHONE]');
});

test('escapes next to PII are kept intact', () => {
  assert.equal(maskText('a\\nbob@example.com'), 'a\\n[EMAIL]');
  assert.equal(maskText('%22bob%40example.com%22'), '%22[EMAIL]%22');
  assert.equal(maskText('x\\nsk-proj-Tq7Rz2Lm9Xv4Bn8K'), 'x\\nsk-proj-[REDACTED]');
  assert.equal(maskText('k%3Dsk-abc%2Fdef0123456789ABCDEFGH'), 'k%3Dsk-[REDACTED]');
  assert.equal(maskText('bob\\u0040example.com'), '[EMAIL]');
  assert.equal(maskText('bob%2540example.com'), '[EMAIL]');
});

test('cards are found among other numbers; non-cards are left alone', () => {
  assert.equal(maskText('ref 123 4111 1111 1111 1111 end'), 'ref 123 [CARD] end');
  assert.equal(maskText('4111111111111111 and 5555555555554444'), '[CARD] and [CARD]');
  assert.equal(maskText('order 4111 1111 1111 1112'), 'order 4111 1111 1111 1112');
});

const NOT_PII = [
  '2026-11-23T11:38:12.123Z',
  '2026-11-23 12:00:00+01:00',
  'epoch 1763898000000 and 1763898000',
  '550e8400-e29b-41d4-a716-446655440000',
  '018f3c1e-7b2a-7c3d-9e4f-5a6b7c8d9e0f',
  'order 4111111111111112 and 1234567890123456',
  'version 1.2.3, ip 192.168.1.10, port 8787',
  'max_tokens=100 and prompt_tokens: 512',
  'price $0.15 per 1M tokens',
  'ISBN 978-3-16-148410-0',
  'see https://example.com/path?a=1#frag',
  'the task-management-system-2024 works',
  'Bearer token required',
  'Basic authentication failed',
  'C++ 11 14 17 20',
  'call 555-0100 (seven digits)',
  'id 2024-555-123-4568',
  'token: 635 used',
  'user@localhost',
  '',
];

test('text without PII is unchanged', () => {
  for (const text of NOT_PII) assert.equal(maskText(text), text, text);
});

test('masking is idempotent', () => {
  for (const canary of TEXT_CANARIES) {
    const once = maskText(carriers(canary.value).json);
    assert.equal(maskText(once), once);
  }
});

test('pathological inputs finish quickly (no catastrophic backtracking)', () => {
  const inputs = [
    '-'.repeat(50_000) + '@x', 'a.'.repeat(30_000) + '@', '1 '.repeat(20_000) + '@' + 'a.'.repeat(20_000),
    '%2B'.repeat(20_000) + '@x.com', '_'.repeat(50_000), 'Bearer '.repeat(10_000), 'x://' + 'a:'.repeat(20_000),
    '1-'.repeat(30_000), '+1 '.repeat(30_000), 'sk-'.repeat(20_000), 'password='.repeat(10_000),
  ];
  for (const input of inputs) {
    const started = performance.now();
    maskText(input);
    assert.ok(performance.now() - started < 1500, `too slow on ${input.slice(0, 12)}…`);
  }
});

test('maskBounded masks before cutting and bounds the result', () => {
  const text = `${'a'.repeat(95)} alice.smith@example.com`;
  const out = maskBounded(text, 100);
  assert.ok(out.length <= 100);
  assert.ok(out.endsWith(ELLIPSIS));
  assert.equal(findLeaks(out, TEXT_CANARIES).length, 0);
  assert.ok(!out.includes('alice'), 'no fragment of a cut email survives');
  assert.equal(maskBounded('short bob@example.com', 100), 'short [EMAIL]');
  const huge = `${'x '.repeat(100_000)}bob@example.com`;
  assert.equal(maskBounded(huge, 50).length, 50);
});
