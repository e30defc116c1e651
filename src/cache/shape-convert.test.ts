import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chunksToCompletion, completionToChunks, matchUsageChunk } from './shape-convert.js';

const usage = { inputTokens: 7, outputTokens: 3 };
const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 5, model: 'm', choices, ...extra });

describe('shape conversion', () => {
  test('chat chunks reassemble into a chat.completion, tool calls and n > 1 included', () => {
    const payloads = [
      chunk([{ index: 0, delta: { role: 'assistant', content: '' } }, { index: 1, delta: { role: 'assistant', content: 'B' } }]),
      chunk([{ index: 0, delta: { content: 'Hel' } }]),
      chunk([{ index: 0, delta: { content: 'lo' }, finish_reason: 'stop' }, { index: 1, delta: {}, finish_reason: 'stop' }]),
      chunk([], { usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } }),
    ];
    const body = JSON.parse(chunksToCompletion(payloads, true, usage)) as Record<string, any>;
    assert.equal(body.object, 'chat.completion');
    assert.equal(body.id, 'c1');
    assert.deepEqual(body.choices.map((c: any) => [c.index, c.message.content, c.finish_reason]), [[0, 'Hello', 'stop'], [1, 'B', 'stop']]);
    assert.deepEqual(body.usage, { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });

    const tools = [
      chunk([{ index: 0, delta: { role: 'assistant', content: null, tool_calls: [{ index: 0, id: 't1', type: 'function', function: { name: 'get', arguments: '{"a"' } }] } }]),
      chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: ':1}' } }] }, finish_reason: 'tool_calls' }]),
    ];
    const t = JSON.parse(chunksToCompletion(tools, true, null)) as Record<string, any>;
    assert.equal(t.choices[0].message.content, null);
    assert.deepEqual(t.choices[0].message.tool_calls, [{ id: 't1', type: 'function', function: { name: 'get', arguments: '{"a":1}' } }]);
    assert.equal(t.usage, undefined);
  });

  test('completions chunks reassemble into a text_completion', () => {
    const p = [JSON.stringify({ id: 'x', object: 'text_completion', choices: [{ index: 0, text: 'ab' }] }), JSON.stringify({ id: 'x', choices: [{ index: 0, text: 'c', finish_reason: 'stop' }] }), 'not json'];
    const body = JSON.parse(chunksToCompletion(p, false, usage)) as Record<string, any>;
    assert.equal(body.object, 'text_completion');
    assert.equal(body.choices[0].text, 'abc');
  });

  test('a completion becomes chunks whose reassembly gives it back', () => {
    const completion = JSON.stringify({ id: 'r', object: 'chat.completion', created: 9, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi there', tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{}' } }] }, finish_reason: 'stop' }] });
    const chunks = completionToChunks(completion, true, usage, true)!;
    assert.equal(chunks.length, 3);
    assert.deepEqual(JSON.parse(chunks[2]).usage, { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
    const back = JSON.parse(chunksToCompletion(chunks, true, usage)) as Record<string, any>;
    assert.equal(back.choices[0].message.content, 'Hi there');
    assert.equal(back.choices[0].message.tool_calls[0].function.name, 'f');
    assert.equal(completionToChunks(completion, true, usage, false)!.length, 2);
    assert.equal(completionToChunks('nope', true, usage, false), undefined);
    const text = completionToChunks(JSON.stringify({ id: 'q', choices: [{ index: 0, text: 'abc', finish_reason: 'stop' }] }), false, null, true)!;
    assert.equal(JSON.parse(text[0]).choices[0].text, 'abc');
  });

  test('the usage chunk is added or removed to match the client', () => {
    const withUsage = [chunk([{ index: 0, delta: { content: 'a' }, finish_reason: 'stop' }]), chunk([], { usage: { prompt_tokens: 1 } })];
    assert.equal(matchUsageChunk(withUsage, true, true, usage), withUsage);
    assert.deepEqual(matchUsageChunk(withUsage, true, false, usage), [withUsage[0]]);
    const added = matchUsageChunk([withUsage[0]], false, true, usage);
    assert.equal(added.length, 2);
    assert.deepEqual(JSON.parse(added[1]).usage, { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
    assert.equal(matchUsageChunk([withUsage[0]], false, true, null).length, 1);
  });
});
