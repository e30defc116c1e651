// Unit tests for describing a native Responses API call: which paths are Responses creates on
// every OpenAI-format adapter (OpenAI, OpenRouter, compatible servers, Azure, Workers AI's
// OpenAI-compatible paths), the output cap from max_output_tokens, and the estimate body that
// maps instructions and input items to chat messages so the input bound reads them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inputTokenBound } from '../../guards/input-bound.js';
import { estimateUsage } from '../../metering/pricing/estimate.js';
import { azureOpenAIAdapter } from '../azure-openai/index.js';
import { openaiAdapter } from '../openai/index.js';
import { openrouterAdapter } from '../openrouter/index.js';
import { workersAIAdapter } from '../workers-ai/index.js';
import { responsesCall, responsesMessages } from './responses-call.js';
import { RESPONSES_ANSWER } from './responses-answer.js';

const s = { type: 'openai' as const, apiKey: 'k' };

describe('Responses calls on pass-through', () => {
  test('a create call has the model, stream flag, output cap and its own answer reader', () => {
    const call = openaiAdapter.passthroughCall(s, '/v1/responses?x=1', { model: 'gpt-4o-mini', input: 'hi', max_output_tokens: 64, stream: true });
    assert.equal(call?.operation, 'chat');
    assert.equal(call?.model, 'gpt-4o-mini');
    assert.equal(call?.maxOutputTokens, 64);
    assert.equal(call?.stream, true);
    assert.equal(call?.answer, RESPONSES_ANSWER);
    assert.deepEqual(call?.estimateBody?.messages, [{ role: 'user', content: 'hi' }]);
  });

  test('chat-style caps are not Responses fields; no cap leaves it undefined', () => {
    assert.equal(responsesCall({ model: 'm', input: 'x', max_tokens: 9 })?.maxOutputTokens, undefined);
  });

  test('every OpenAI-format adapter recognises the path; stored responses and bodies without a model do not count', () => {
    const body = { model: 'x/y', input: 'hi' };
    assert.equal(openrouterAdapter.passthroughCall({ type: 'openrouter' }, '/responses', body)?.answer, RESPONSES_ANSWER);
    const azure = { type: 'azure-openai' as const, baseUrl: 'https://r.openai.azure.com' };
    assert.equal(azureOpenAIAdapter.passthroughCall(azure, '/openai/v1/responses', { model: 'gpt-4o', input: 'hi' })?.model, 'gpt-4o');
    assert.equal(workersAIAdapter.passthroughCall({ type: 'workers-ai' as const, accountId: 'a', apiToken: 't' }, '/v1/responses', body)?.answer, RESPONSES_ANSWER);
    assert.equal(openaiAdapter.passthroughCall(s, '/v1/responses/resp_1/cancel', body), undefined);
    assert.equal(openaiAdapter.passthroughCall(s, '/v1/responses/input_tokens', body), undefined);
    assert.equal(openaiAdapter.passthroughCall(s, '/v1/responses', { input: 'hi' }), undefined);
  });

  test('instructions and input items become the messages they stand for', () => {
    const messages = responsesMessages({
      instructions: 'Be brief.',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'Weather?' }, { type: 'input_image', image_url: 'https://x/y.png' }] },
        { type: 'message', role: 'assistant', content: 'Checking.' },
        { type: 'function_call', call_id: 'c1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call_output', call_id: 'c1', output: '{"temp":21}' },
        { type: 'item_reference', id: 'rs_1' },
        42,
      ],
    });
    assert.deepEqual(messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'input_text', text: 'Weather?' }, { type: 'input_image', image_url: 'https://x/y.png' }] },
      { role: 'assistant', content: 'Checking.' },
      { role: 'assistant', content: null, tool_calls: [{ type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', content: '{"temp":21}' },
      { role: 'user', content: '{"type":"item_reference","id":"rs_1"}' },
    ]);
  });

  test('the input bound and the tokenizer estimate read instructions, input and tools', () => {
    const bare = responsesCall({ model: 'm', input: 'hello' })!.estimateBody!;
    const long = 'word '.repeat(300);
    const fuller = responsesCall({ model: 'm', instructions: long, input: [{ role: 'user', content: 'hello' }, { type: 'input_file' }], tools: [{ type: 'function', name: 'f', parameters: { type: 'object' } }] })!.estimateBody!;
    assert.ok(inputTokenBound('chat', fuller) > inputTokenBound('chat', bare) + 300);
    assert.ok(estimateUsage('chat', fuller, '').inputTokens > estimateUsage('chat', bare, '').inputTokens + 250);
    assert.ok(inputTokenBound('chat', bare) > 0);
  });
});
