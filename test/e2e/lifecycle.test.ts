/**
 * End-to-end lifecycle: hot reload (a valid new config takes effect without a restart, an
 * invalid one is rejected while the old keeps serving, in-flight requests finish on the config
 * they started with) and graceful shutdown (open streams finish, new requests are refused).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { providersFor, startHarness, type Harness } from './harness.js';
import { startMockUpstream, type MockUpstream } from '../../src/mock-upstream/server.js';
import { postJson } from './http-client.js';

describe('hot reload', () => {
  let mock: MockUpstream;
  let h: Harness;
  let file: string;
  const write = (doc: unknown) => writeFileSync(file, typeof doc === 'string' ? doc : stringify({ ...(doc as object), ...quiet() }));
  const quiet = () => ({ storage: `sqlite://${join(dirname(file), 't.db')}`, logging: { requests: false, spoolDir: join(dirname(file), 'spool') } });
  before(async () => {
    mock = await startMockUpstream({ port: 0 });
    file = join(mkdtempSync(join(tmpdir(), 'tollgate-reload-')), 'tollgate.yaml');
    write({ providers: { openai: providersFor(mock.url).openai } });
    h = await startHarness({ configPath: file });
  });
  after(async () => { await h.close(); await mock.close(); });

  test('a valid change is picked up without a restart', async () => {
    const before = await postJson(`${h.gateway.url}/v1/chat/completions`, { model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(before.status, 404);
    const gen = h.gateway.config().generation;
    write({ providers: { openai: providersFor(mock.url).openai, anthropic: providersFor(mock.url).anthropic } });
    const deadline = Date.now() + 3000;
    while (h.gateway.config().generation === gen && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    const after = await postJson(`${h.gateway.url}/v1/chat/completions`, { model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(after.status, 200);
  });

  test('an invalid config is rejected and the running one keeps serving', async () => {
    const gen = h.gateway.config().generation;
    write('providers:\n  openai: { type: openai, bogusKey: 1 }\n');
    assert.equal(h.gateway.reload(), false);
    assert.equal(h.gateway.config().generation, gen);
    const r = await postJson(`${h.gateway.url}/v1/chat/completions`, { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(r.status, 200);
  });

  test('a request in flight finishes on the config it started with', async () => {
    write({ providers: { openai: providersFor(mock.url).openai } });
    assert.equal(h.gateway.reload(), true);
    const slow = postJson(`${h.gateway.url}/v1/chat/completions`, { model: 'openai/gpt-4o-mini~delayMs=400', messages: [{ role: 'user', content: 'x' }] });
    await new Promise((r) => setTimeout(r, 100));
    write({ providers: {} });
    assert.equal(h.gateway.reload(), true);
    assert.equal((await slow).status, 200);
    const after = await postJson(`${h.gateway.url}/v1/chat/completions`, { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(after.status, 404);
  });
});

describe('graceful shutdown', () => {
  test('an open stream finishes while new requests are refused', async () => {
    const h = await startHarness();
    const body = { model: 'openai/gpt-4o-mini~chunks=8~chunkDelayMs=100', messages: [{ role: 'user', content: 'x' }], stream: true };
    const open = postJson(`${h.gateway.url}/v1/chat/completions`, body);
    await new Promise((r) => setTimeout(r, 150));
    const closing = h.gateway.close();
    const res = await open;
    assert.equal(res.status, 200);
    assert.ok(res.text.trimEnd().endsWith('data: [DONE]'));
    await closing;
    await assert.rejects(postJson(`${h.gateway.url}/v1/chat/completions`, body));
    await h.mock.close();
  });
});
