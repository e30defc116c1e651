import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../errors/gateway-error.js';
import { translateMessages } from './messages.js';

function paramOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof GatewayError);
    assert.equal(err.code, 'invalid_request');
    return err.param;
  }
  assert.fail('expected an invalid_request error');
}

describe('translateMessages', () => {
  test('system and developer messages are hoisted and joined; turns keep their order', () => {
    const out = translateMessages([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
      { role: 'user', content: 'How are you?' },
    ]);
    assert.deepEqual(out, {
      system: 'Be brief.\n\nAnswer in French.',
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'How are you?' },
      ],
    });
  });

  test('without system messages there is no system field; consecutive user turns merge', () => {
    const out = translateMessages([
      { role: 'user', content: 'one' },
      { role: 'user', content: [{ type: 'text', text: 'two' }] },
      { role: 'assistant', content: '' },
      { role: 'user', content: 'three' },
    ]);
    assert.equal('system' in out, false);
    assert.deepEqual(out.messages, [
      { role: 'user', content: [{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }, { type: 'text', text: 'three' }] },
    ]);
  });

  test('assistant tool calls become tool_use blocks and tool messages one user turn of results', () => {
    const out = translateMessages([
      { role: 'user', content: 'Weather in Paris and Oslo?' },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          { id: 'toolu_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
          { id: 'toolu_2', type: 'function', function: { name: 'weather', arguments: '' } },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: '18C' },
      { role: 'tool', tool_call_id: 'toolu_2', content: [{ type: 'text', text: '9C' }] },
      { role: 'tool', tool_call_id: 'toolu_3', content: '' },
      { role: 'user', content: 'Thanks' },
    ]);
    assert.deepEqual(out.messages, [
      { role: 'user', content: 'Weather in Paris and Oslo?' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'weather', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '18C' },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: [{ type: 'text', text: '9C' }] },
          { type: 'tool_result', tool_use_id: 'toolu_3' },
          { type: 'text', text: 'Thanks' },
        ],
      },
    ]);
  });

  test('an assistant turn with only tool calls and null content has only tool_use blocks', () => {
    const out = translateMessages([
      { role: 'user', content: 'go' },
      { role: 'assistant', content: null, tool_calls: [{ id: 't', function: { name: 'f', arguments: '{}' } }] },
    ]);
    assert.deepEqual(out.messages[1], { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: {} }] });
  });

  test('invalid conversations name the offending parameter', () => {
    assert.equal(paramOf(() => translateMessages([])), 'messages');
    assert.equal(paramOf(() => translateMessages('hi')), 'messages');
    assert.equal(paramOf(() => translateMessages([null])), 'messages[0]');
    assert.equal(paramOf(() => translateMessages([{ role: 'function', content: 'x' }])), 'messages[0].role');
    assert.equal(paramOf(() => translateMessages([{ role: 'tool', content: 'x' }])), 'messages[0].tool_call_id');
    const call = (args: string) => [{ role: 'assistant', tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: args } }] }];
    assert.equal(paramOf(() => translateMessages(call('{oops'))), 'messages[0].tool_calls[0].function.arguments');
    assert.equal(paramOf(() => translateMessages(call('[1,2]'))), 'messages[0].tool_calls[0].function.arguments');
    assert.equal(paramOf(() => translateMessages([{ role: 'assistant', tool_calls: {} }])), 'messages[0].tool_calls');
    assert.equal(paramOf(() => translateMessages([{ role: 'assistant', tool_calls: [{ type: 'custom', custom: {} }] }])), 'messages[0].tool_calls[0]');
    assert.equal(paramOf(() => translateMessages([{ role: 'assistant', tool_calls: [{ type: 'function', function: { name: 'f' } }] }])), 'messages[0].tool_calls[0]');
  });
});
