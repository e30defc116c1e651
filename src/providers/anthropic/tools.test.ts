import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../errors/gateway-error.js';
import { translateTools } from './tools.js';

const weather = {
  type: 'function',
  function: {
    name: 'weather',
    description: 'Current weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

function paramOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof GatewayError);
    return err.param;
  }
  assert.fail('expected an error');
}

describe('translateTools', () => {
  test('function tools map to name, description and input_schema', () => {
    const out = translateTools({ tools: [weather, { type: 'function', function: { name: 'ping' } }] });
    assert.deepEqual(out, {
      tools: [
        { name: 'weather', description: 'Current weather', input_schema: weather.function.parameters },
        { name: 'ping', input_schema: { type: 'object', properties: {} } },
      ],
    });
  });

  test('each tool_choice form maps to its counterpart', () => {
    const choice = (tool_choice: unknown) => translateTools({ tools: [weather], tool_choice }).tool_choice;
    assert.deepEqual(choice('auto'), { type: 'auto' });
    assert.deepEqual(choice('none'), { type: 'none' });
    assert.deepEqual(choice('required'), { type: 'any' });
    assert.deepEqual(choice({ type: 'function', function: { name: 'weather' } }), { type: 'tool', name: 'weather' });
    assert.equal(choice(undefined), undefined);
  });

  test('parallel_tool_calls:false disables parallel use, except with tool_choice none', () => {
    const out = (extra: Record<string, unknown>) => translateTools({ tools: [weather], parallel_tool_calls: false, ...extra }).tool_choice;
    assert.deepEqual(out({}), { type: 'auto', disable_parallel_tool_use: true });
    assert.deepEqual(out({ tool_choice: 'required' }), { type: 'any', disable_parallel_tool_use: true });
    assert.deepEqual(out({ tool_choice: 'none' }), { type: 'none' });
    assert.equal(translateTools({ tools: [weather], parallel_tool_calls: true }).tool_choice, undefined);
  });

  test('no tools means no tool fields at all, even with a tool_choice', () => {
    assert.deepEqual(translateTools({}), {});
    assert.deepEqual(translateTools({ tools: null, tool_choice: 'required' }), {});
    assert.deepEqual(translateTools({ tools: [], tool_choice: 'required' }), {});
  });

  test('invalid tools and choices name the parameter', () => {
    assert.equal(paramOf(() => translateTools({ tools: {} })), 'tools');
    assert.equal(paramOf(() => translateTools({ tools: [{ type: 'web_search' }] })), 'tools[0]');
    assert.equal(paramOf(() => translateTools({ tools: [{ type: 'function', function: {} }] })), 'tools[0].function.name');
    assert.equal(paramOf(() => translateTools({ tools: [weather], tool_choice: 'sometimes' })), 'tool_choice');
    assert.equal(paramOf(() => translateTools({ tools: [weather], tool_choice: { type: 'function', function: {} } })), 'tool_choice');
  });
});
