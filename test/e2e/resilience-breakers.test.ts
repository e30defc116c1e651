/**
 * End-to-end resilience, part 2 (part 1: resilience.test.ts): circuit breakers opening, probing
 * and closing (F4), refused connections opening a breaker (F7), and hung upstreams timing out
 * at the first-byte and total deadlines and releasing their socket (F5). Each describe block
 * starts its own harness and uses model names no other test uses (breakers key on
 * provider/model), with small timeouts and cooldowns.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import type { Harness } from './harness.js';
import { FIRST_BYTE_SLACK_MS, resilience, chat, sleep, header, errorCode, useHarness, attemptsOf, post, timed, waitFor } from './resilience-support.js';

describe('F4 and F7: circuit breakers', () => {
  const cooldownMs = 500;
  const harness = useHarness(() => ({
    resilience: resilience({ maxAttempts: 1, circuitBreaker: { failureThreshold: 3, cooldownMs } }),
    routes: { 'cb-route': { targets: [{ provider: 'openai', model: 'cb-primary' }, { provider: 'anthropic', model: 'cb-backup' }] } },
  }));

  test('F4: the primary\'s breaker opens after 3 failures, admits one probe per cooldown, and closes on recovery', async () => {
    const h = harness();
    h.mock.script({ match: { model: 'cb-primary' }, steps: [{ status: 500 }], repeat: true });
    for (let i = 0; i < 6; i++) {
      const r = await post(h, 'cb-route');
      assert.equal(r.status, 200);
      assert.equal(header(r, 'x-tollgate-provider'), 'anthropic');
    }
    assert.equal(attemptsOf(h, 'cb-primary').length, 3, 'after 3 failures the primary is skipped');
    assert.equal(attemptsOf(h, 'cb-backup').length, 6);

    await sleep(cooldownMs + 100);
    const burst = await Promise.all(Array.from({ length: 5 }, () => post(h, 'cb-route')));
    for (const r of burst) assert.equal(r.status, 200);
    assert.equal(attemptsOf(h, 'cb-primary').length, 4, 'exactly one probe after the cooldown');
    const r = await post(h, 'cb-route');
    assert.equal(header(r, 'x-tollgate-provider'), 'anthropic');
    assert.equal(attemptsOf(h, 'cb-primary').length, 4, 'a failed probe reopens the breaker');

    h.mock.clearScripts(); // the primary recovers
    await sleep(cooldownMs + 100);
    for (let i = 0; i < 3; i++) {
      const back = await post(h, 'cb-route');
      assert.equal(back.status, 200);
      assert.equal(header(back, 'x-tollgate-provider'), 'openai', 'traffic returns to the primary');
      assert.equal(header(back, 'x-tollgate-fallback-index'), '0');
    }
    assert.equal(attemptsOf(h, 'cb-primary').length, 7);
  });

  test('F4: a direct provider/model with an open breaker → fast 503 circuit_open, nothing sent', async () => {
    const h = harness();
    for (let i = 0; i < 3; i++) {
      const r = await post(h, 'openai/cb-direct~status=500');
      assert.equal(r.status, 502);
      assert.equal(errorCode(r), 'upstream_server_error');
    }
    const { value: r, ms } = await timed(post(h, 'openai/cb-direct~status=500'));
    assert.equal(r.status, 503);
    assert.equal(errorCode(r), 'circuit_open');
    assert.equal(header(r, 'retry-after'), '1');
    assert.ok(ms < 200, `answered in ${ms.toFixed(0)} ms`);
    assert.equal(attemptsOf(h, 'cb-direct').length, 3);
  });

  test('F7: a refused port → fast 502 upstream_unreachable; repeated failures open its breaker', async () => {
    const h = harness();
    const { value: first, ms } = await timed(post(h, 'dead/f7-refused'));
    assert.equal(first.status, 502);
    assert.equal(errorCode(first), 'upstream_unreachable');
    assert.ok(ms < 1000, `answered in ${ms.toFixed(0)} ms`);
    for (let i = 0; i < 2; i++) assert.equal(errorCode(await post(h, 'dead/f7-refused')), 'upstream_unreachable');
    const open = await post(h, 'dead/f7-refused');
    assert.equal(open.status, 503);
    assert.equal(errorCode(open), 'circuit_open');
  });
});

describe('F5: an upstream that never sends its headers (firstByteMs)', () => {
  const firstByteMs = 400;
  const harness = useHarness(() => ({
    resilience: resilience({ maxAttempts: 1, timeouts: { connectMs: 1000, firstByteMs, idleMs: 1000, totalMs: 6000 } }),
  }));

  test('hang → JSON 504 upstream_timeout, the upstream socket is closed, the next request is fine', async () => {
    const h = harness();
    const { value: r, ms } = await timed(post(h, 'openai/f5-hang~hang'));
    assert.equal(r.status, 504);
    assert.match(String(header(r, 'content-type')), /^application\/json/);
    assert.equal(errorCode(r), 'upstream_timeout');
    assert.equal(header(r, 'x-tollgate-error-code'), 'upstream_timeout');
    assert.ok(ms >= firstByteMs - 20 && ms < firstByteMs + FIRST_BYTE_SLACK_MS, `answered in ${ms.toFixed(0)} ms (firstByteMs ${firstByteMs})`);
    assert.ok(await waitFor(() => attemptsOf(h, 'f5-hang')[0]?.closedByClient === true), 'the gateway closed the upstream socket');
    assert.equal(attemptsOf(h, 'f5-hang').length, 1);
    const next = await post(h, 'openai/f5-after');
    assert.equal(next.status, 200);
  });

  test('the first-byte timeout fires close to firstByteMs', async () => {
    const h = harness();
    const { value: r, ms } = await timed(post(h, 'openai/f5-precise~hang'));
    assert.equal(r.status, 504);
    assert.ok(ms < firstByteMs + 200, `answered in ${ms.toFixed(0)} ms (firstByteMs ${firstByteMs})`);
  });
});

describe('F5: an upstream that never answers (totalMs)', () => {
  const totalMs = 1000;
  const harness = useHarness(() => ({
    resilience: resilience({ timeouts: { connectMs: 1000, firstByteMs: 3000, idleMs: 3000, totalMs } }),
  }));

  test('hang → 504 upstream_timeout at totalMs with no retry past the deadline, socket closed, next request fine', async () => {
    const h = harness();
    const { value: r, ms } = await timed(h.client.chat.completions.create(chat('openai/f5-total~hang')).withResponse().catch((e: unknown) => e));
    assert.ok(r instanceof OpenAI.APIError);
    assert.equal(r.status, 504);
    assert.equal(r.code, 'upstream_timeout');
    assert.ok(ms >= totalMs - 20 && ms < totalMs + 300, `answered in ${ms.toFixed(0)} ms (totalMs ${totalMs})`);
    assert.equal(attemptsOf(h, 'f5-total').length, 1);
    assert.ok(await waitFor(() => attemptsOf(h, 'f5-total')[0]?.closedByClient === true), 'the gateway closed the upstream socket');
    const next = await post(h, 'openai/f5-after');
    assert.equal(next.status, 200);
  });
});
