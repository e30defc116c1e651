import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openAIToolCalls } from './tool-calls.js';

test('flat Workers AI tool calls become OpenAI tool_calls with stable ids', () => {
  assert.deepEqual(openAIToolCalls([{ name: 'weather', arguments: { city: 'Oslo' } }, { name: 'noargs' }], 'req1'), [
    { id: 'call_req1_0', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
    { id: 'call_req1_1', type: 'function', function: { name: 'noargs', arguments: '{}' } },
  ]);
});

test('OpenAI-shaped tool calls keep their id and string arguments', () => {
  const raw = [{ id: 'abc', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }];
  assert.deepEqual(openAIToolCalls(raw, 'r'), [{ id: 'abc', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }]);
});

test('absent, empty or junk entries', () => {
  assert.equal(openAIToolCalls(undefined, 'r'), undefined);
  assert.equal(openAIToolCalls([], 'r'), undefined);
  assert.deepEqual(openAIToolCalls([null], 'r'), [{ id: 'call_r_0', type: 'function', function: { name: '', arguments: '{}' } }]);
});
