/**
 * End-to-end: the `tollgate/client` helper (imported through the package's own `exports`
 * entry) wraps the official openai SDK; calls carry operation, user and metadata headers that
 * the request log then shows, and return the answer plus what the gateway reported.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness.js';

type ClientModule = typeof import('../../src/client/index.js');

describe('tollgate/client', () => {
  let h: Harness;
  let mod: ClientModule;
  before(async () => {
    h = await startHarness();
    const specifier = 'tollgate/client';
    mod = (await import(specifier)) as ClientModule;
  });
  after(async () => { await h.close(); });

  test('chat returns the answer and the gateway report; labels reach the request log', async () => {
    const tg = mod.wrapOpenAI(h.client, { operation: 'support-reply', metadata: { team: 'care' } });
    const { data, gateway } = await tg.chat({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] }, { user: 'user-42', metadata: { ticket: 7 } });
    assert.equal(data.object, 'chat.completion');
    assert.match(gateway.requestId ?? '', /.{8,}/);
    assert.equal(gateway.provider, 'openai');
    assert.equal(gateway.model, 'gpt-4o-mini');
    assert.equal(gateway.attempts, 1);
    assert.equal(gateway.tokens.input, data.usage?.prompt_tokens);
    assert.equal(gateway.tokens.output, data.usage?.completion_tokens);
    assert.ok(gateway.costUsd !== null && gateway.costUsd > 0);
    assert.equal(gateway.cacheStatus, 'BYPASS', 'the cache is off in this harness, so every answer says BYPASS');
    await h.gateway.services.events.flush();
    const page = await h.gateway.services.store!.query({ requestId: gateway.requestId! }, 10, null);
    const row = page.rows.find((r) => r.requestId === gateway.requestId);
    assert.ok(row, 'the request is in the log');
    assert.equal(row.operation, 'support-reply');
    assert.deepEqual(row.metadata, { team: 'care', ticket: '7' });
    assert.ok(row.user !== null && row.user !== 'user-42', 'user stored masked');
  });

  test('embeddings and with(): per-client labels, per-call override', async () => {
    const tg = mod.wrapOpenAI(h.client).with({ operation: 'index' });
    const { data, gateway } = await tg.embeddings({ model: 'openai/text-embedding-3-small', input: 'abc' }, { operation: 'reindex' });
    assert.equal(data.object, 'list');
    assert.equal(gateway.provider, 'openai');
    await h.gateway.services.events.flush();
    const page = await h.gateway.services.store!.query({}, 50, null);
    assert.equal(page.rows.find((r) => r.requestId === gateway.requestId)?.operation, 'reindex');
  });

  test('readGatewayInfo reads the cache status headers and treats absent numbers as null', () => {
    const headers = new Headers({ 'cf-aig-cache-status': 'hit', 'x-tollgate-cost-usd': '0.000435' });
    const info = mod.readGatewayInfo(headers);
    assert.equal(info.cacheStatus, 'HIT');
    assert.equal(info.costUsd, 0.000435);
    assert.equal(info.tokens.input, null);
    assert.equal(info.attempts, null);
  });
});
