/**
 * End-to-end metering of native pass-through: the official `openai` SDK pointed at
 * `/openai` and plain fetch for the Anthropic, Workers AI and Azure native APIs leave one row
 * each with the provider's own token counts and the exact micro-USD cost, streamed or not; a
 * stream the client abandons bills what was produced; `x-tollgate-collect-log: false` (and the
 * Cloudflare alias) leaves no row and no stdout line on pass-through and on requests refused
 * before the label stage, while metrics still count them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import type { UsageEvent } from '../../src/metering/usage-event.js';
import { EXACT_PRICING } from './exact-pricing.js';
import { startHarness, type Harness } from './harness.js';
import { postJson, raw } from './http-client.js';

const stdout: string[] = [];
let h: Harness;
let sdk: OpenAI;
before(async () => {
  h = await startHarness({
    requestLog: (text) => { stdout.push(text); },
    config: () => ({
      pricing: EXACT_PRICING, // exact integer costs (exact-pricing.ts)
      logging: { requests: true, queue: { flushMs: 10 } },
    }),
  });
  sdk = new OpenAI({ baseURL: `${h.gateway.url}/openai`, apiKey: 'client-side-key', maxRetries: 0, timeout: 10_000 });
});
after(async () => { await h.close(); });

async function rows(requestId: string): Promise<UsageEvent[]> {
  await h.gateway.services.events.flush();
  const out: UsageEvent[] = [];
  for await (const e of h.gateway.services.store!.scan({ requestId })) out.push(e);
  return out;
}

async function row(requestId: string): Promise<UsageEvent> {
  const found = await rows(requestId);
  assert.equal(found.length, 1, `exactly one row for ${requestId}`);
  return found[0];
}

let seq = 0;
const rid = (tag: string): string => `pt-${tag}-${process.pid}-${++seq}-abcdef`;
// The mock counts ceil(21 / 4) = 6 input tokens for this text and answers 5 output tokens.
const MESSAGES = [{ role: 'user' as const, content: 'Hello there, gateway!' }];
const IN = 6;
const OUT = 5;

function assertBilled(e: UsageEvent, provider: string, model: string, stream: boolean, perIn: number, perOut: number): void {
  assert.equal(e.endpoint, 'passthrough');
  assert.equal(e.provider, provider);
  assert.equal(e.model, model);
  assert.equal(e.stream, stream);
  assert.equal(e.tokensIn, IN);
  assert.equal(e.tokensOut, OUT);
  assert.equal(e.estimated, false);
  assert.equal(e.costMicros, IN * perIn + OUT * perOut);
}

describe('pass-through usage and cost', () => {
  test('openai SDK on /openai: JSON and stream cost the same, exactly', async () => {
    const id1 = rid('sdk');
    const plain = await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES }, { headers: { 'x-request-id': id1 } });
    assert.equal(plain.usage?.completion_tokens, OUT);
    assertBilled(await row(id1), 'openai', 'gpt-4o-mini', false, 1, 2);
    const id2 = rid('sdk-stream');
    const stream = await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES, stream: true, stream_options: { include_usage: true } }, { headers: { 'x-request-id': id2 } });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    assert.match(text, /deterministic reply/);
    assertBilled(await row(id2), 'openai', 'gpt-4o-mini', true, 1, 2);
  });

  test('a stream without a usage chunk is estimated from what was delivered', async () => {
    const id = rid('sdk-nousage');
    const stream = await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES, stream: true }, { headers: { 'x-request-id': id } });
    for await (const chunk of stream) void chunk;
    const e = await row(id);
    assert.equal(e.estimated, true);
    assert.ok(e.tokensIn > 0 && e.tokensOut > 0);
    assert.equal(e.costMicros, e.tokensIn * 1 + e.tokensOut * 2);
  });

  test('anthropic Messages, JSON and stream (message_start / message_delta usage)', async () => {
    const body = { model: 'claude-sonnet-4-5', max_tokens: 50, messages: MESSAGES };
    const id1 = rid('ant');
    const r1 = await postJson(`${h.gateway.url}/anthropic/v1/messages`, body, { 'x-request-id': id1, 'anthropic-version': '2023-06-01' });
    assert.equal(r1.status, 200);
    assertBilled(await row(id1), 'anthropic', 'claude-sonnet-4-5', false, 3, 15);
    const id2 = rid('ant-stream');
    const r2 = await postJson(`${h.gateway.url}/v1/acct/gw/anthropic/v1/messages`, { ...body, stream: true }, { 'x-request-id': id2 });
    assert.match(r2.text, /event: message_stop/);
    assertBilled(await row(id2), 'anthropic', 'claude-sonnet-4-5', true, 3, 15);
  });

  test('workers-ai run path and azure deployment path are priced by their model', async () => {
    const id1 = rid('wai');
    const r1 = await postJson(`${h.gateway.url}/workers-ai/@cf/meta/llama-3.1-8b-instruct`, { messages: MESSAGES }, { 'x-request-id': id1 });
    assert.equal(r1.status, 200);
    assertBilled(await row(id1), 'workers-ai', '@cf/meta/llama-3.1-8b-instruct', false, 5, 7);
    const id2 = rid('azure');
    const r2 = await postJson(`${h.gateway.url}/azure/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21`, { messages: MESSAGES, stream: true, stream_options: { include_usage: true } }, { 'x-request-id': id2 });
    assert.equal(r2.status, 200);
    assertBilled(await row(id2), 'azure', 'gpt-4o', true, 11, 13);
  });

  test('an unknown model stays unknown (null), never zero', async () => {
    const id = rid('unknown');
    const r = await postJson(`${h.gateway.url}/openai/chat/completions`, { model: 'gpt-unpriced', messages: MESSAGES }, { 'x-request-id': id });
    assert.equal(r.status, 200);
    const e = await row(id);
    assert.equal(e.tokensOut, OUT);
    assert.equal(e.costMicros, null);
  });

  test('a stream the client abandons bills what was produced', async () => {
    const id = rid('abort');
    const ac = new AbortController();
    const res = await fetch(`${h.gateway.url}/anthropic/v1/messages`, {
      method: 'POST',
      signal: ac.signal,
      headers: { 'content-type': 'application/json', 'x-request-id': id, 'x-mock-script': 'chunkDelayMs=150;chunks=20' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 50, stream: true, messages: MESSAGES }),
    });
    const reader = res.body!.getReader();
    let seen = '';
    while (!seen.includes('content_block_delta')) seen += Buffer.from((await reader.read()).value ?? []).toString();
    ac.abort();
    await reader.cancel().catch(() => undefined);
    let e: UsageEvent | undefined;
    for (let i = 0; i < 100 && !e; i++) {
      e = (await rows(id))[0];
      if (!e) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(e, 'the abandoned stream left a row');
    assert.equal(e.status, 499);
    assert.equal(e.partial, true);
    assert.equal(e.tokensIn, IN);
    assert.ok(e.tokensOut >= 1 && e.tokensOut < 20, `billed ${e.tokensOut} of 20 output tokens`);
    assert.equal(e.costMicros, e.tokensIn * 3 + e.tokensOut * 15);
  });
});

async function requestsCounted(): Promise<number> {
  const text = (await raw(`${h.gateway.url}/metrics`, { method: 'GET' })).text;
  let sum = 0;
  for (const m of text.matchAll(/^ai_gateway_requests_total\{[^}]*\} (\d+)/gm)) sum += Number(m[1]);
  return sum;
}

describe('x-tollgate-collect-log: false', () => {
  test('pass-through and early refusals leave no row and no stdout line; metrics still count them', async () => {
    const before = await requestsCounted();
    const ids = [rid('nolog-pt'), rid('nolog-cf'), rid('nolog-json'), rid('nolog-404')];
    const pt = await postJson(`${h.gateway.url}/openai/chat/completions`, { model: 'gpt-4o-mini', messages: MESSAGES }, { 'x-request-id': ids[0], 'x-tollgate-collect-log': 'false' });
    assert.equal(pt.status, 200);
    const cf = await postJson(`${h.gateway.url}/v1/a/g/anthropic/v1/messages`, { model: 'claude-sonnet-4-5', max_tokens: 5, messages: MESSAGES }, { 'x-request-id': ids[1], 'cf-aig-collect-log': 'FALSE' });
    assert.equal(cf.status, 200);
    const bad = await raw(`${h.gateway.url}/v1/chat/completions`, { headers: { 'content-type': 'application/json', 'x-request-id': ids[2], 'x-tollgate-collect-log': 'false' }, body: '{nope' });
    assert.equal(bad.status, 400);
    const missing = await raw(`${h.gateway.url}/nosuch/v1/models`, { method: 'GET', headers: { 'x-request-id': ids[3], 'x-tollgate-collect-log': 'false' } });
    assert.equal(missing.status, 404);
    // A logged request after them: once its row is there, the queue has passed theirs.
    const logged = rid('logged');
    await postJson(`${h.gateway.url}/openai/chat/completions`, { model: 'gpt-4o-mini', messages: MESSAGES }, { 'x-request-id': logged });
    await row(logged);
    for (const id of ids) assert.equal((await rows(id)).length, 0, `no row for ${id}`);
    const out = stdout.join('');
    assert.ok(out.includes(logged), 'the logged request has its stdout line');
    for (const id of ids) assert.ok(!out.includes(id), `no stdout line for ${id}`);
    assert.equal(await requestsCounted(), before + 5);
  });
});
