import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCustomCost } from './custom-cost.js';

test('per-token prices become micro-USD per 1M tokens', () => {
  assert.deepEqual(parseCustomCost('{"per_token_in":0.000001,"per_token_out":0.000002}'), {
    kind: 'per-token', inputMicrosPerMillion: 1_000_000, outputMicrosPerMillion: 2_000_000,
  });
  assert.deepEqual(parseCustomCost('{"per_token_out":0.0000000015}'), {
    kind: 'per-token', inputMicrosPerMillion: 0, outputMicrosPerMillion: 1500,
  });
});

test('a total becomes micro-USD', () => {
  assert.deepEqual(parseCustomCost('{"total_cost":0.05}'), { kind: 'total', micros: 50_000 });
  assert.deepEqual(parseCustomCost(' {"total_cost": 0} '), { kind: 'total', micros: 0 });
});

test('invalid, ambiguous or out-of-bounds values give undefined without throwing', () => {
  for (const bad of [
    undefined, null, '', 'nope', '{', 'null', '[]', '42', '{}',
    '{"total_cost":-1}', '{"total_cost":"0.05"}', '{"total_cost":1e6}', '{"per_token_in":1}',
    '{"total_cost":0.05,"per_token_in":0.000001}', '{"per_token_input":0.000001}',
    '{"per_token_in":null}', `{"total_cost":0.05,"pad":"${'x'.repeat(600)}"}`,
  ]) {
    assert.equal(parseCustomCost(bad), undefined, String(bad));
  }
  assert.equal(parseCustomCost(['{"total_cost":0.05}', '{"total_cost":1}']), undefined, 'repeated header');
});
