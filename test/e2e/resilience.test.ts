/**
 * End-to-end resilience, part 1: a real gateway in front of the scripted fake upstream, checked
 * only through what a client and the upstream observe (answers, headers, the mock's attempt log
 * and the request log). Retry-After honoured but never past the deadline (F1), bounded jittered
 * retries, fallback and the retry budget (F2), a retried request metered once (F3), resets (F7),
 * non-retryable 4xx with and without `fallbackOnStatus`, stream retries only before the first
 * event, per-request header overrides, data-sensitivity and weighted routing. Part 2
 * (resilience-breakers.test.ts) has breakers and hung upstreams. Blocks that retry a lot run
 * with `retryBudgetRatio: 1` and first send a few good requests, so the budget's start-up loan
 * is repaid and never decides a test that is not about the budget.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import type { UsageEvent } from '../../src/metering/usage-event.js';
import { sseEvents } from './http-client.js';
import type { Harness } from './harness.js';
import { TIMEOUTS, resilience, chat, sleep, rid, header, errorCode, useHarness, attemptsOf, gaps, post, timed } from './resilience-support.js';

describe('F1: Retry-After is honoured, but never past the deadline', () => {
  const harness = useHarness(() => ({
    resilience: resilience({ timeouts: { ...TIMEOUTS, totalMs: 3000 } }),
    routes: { 'f1-route': { targets: [{ provider: 'openai', model: 'f1-primary' }, { provider: 'anthropic', model: 'f1-backup' }] } },
  }));

  test('429 with Retry-After: 2, then OK → 200 after two attempts at least 1.8 s apart', async () => {
    const h = harness();
    h.mock.script({ match: { model: 'f1-wait' }, steps: [{ status: 429, retryAfter: 2 }, {}] });
    const { data, response } = await h.client.chat.completions.create(chat('openai/f1-wait')).withResponse();
    assert.equal(response.status, 200);
    assert.equal(typeof data.choices[0].message.content, 'string');
    assert.equal(response.headers.get('x-tollgate-attempts'), '2');
    const attempts = attemptsOf(h, 'f1-wait');
    assert.equal(attempts.length, 2);
    const [gap] = gaps(attempts);
    assert.ok(gap >= 1800, `waited ${gap.toFixed(0)} ms`);
    assert.ok(gap < 2800, `waited ${gap.toFixed(0)} ms, not much more than asked`);
  });

  test('Retry-After beyond the deadline with a fallback route → fails over at once', async () => {
    const h = harness();
    h.mock.script({ match: { model: 'f1-primary' }, steps: [{ status: 429, retryAfter: 10 }] });
    const { value: r, ms } = await timed(post(h, 'f1-route'));
    assert.equal(r.status, 200);
    assert.ok(ms < 1000, `answered in ${ms.toFixed(0)} ms`);
    assert.equal(header(r, 'x-tollgate-fallback-index'), '1');
    assert.equal(header(r, 'cf-aig-step'), '1');
    assert.equal(header(r, 'x-tollgate-provider'), 'anthropic');
    assert.equal(header(r, 'x-tollgate-attempts'), '2');
    assert.equal(attemptsOf(h, 'f1-primary').length, 1);
    assert.equal(attemptsOf(h, 'f1-backup').length, 1);
  });

  test('Retry-After beyond the deadline without a fallback → a quick 429 carrying Retry-After', async () => {
    const h = harness();
    const { value: err, ms } = await timed(h.client.chat.completions.create(chat('openai/f1-solo~status=429~retryAfter=10')).catch((e: unknown) => e));
    assert.ok(err instanceof OpenAI.RateLimitError);
    assert.equal(err.code, 'upstream_rate_limited');
    assert.equal(err.headers?.get('retry-after'), '10');
    assert.ok(ms < 1000, `answered in ${ms.toFixed(0)} ms`);
    assert.equal(attemptsOf(h, 'f1-solo').length, 1);
  });
});

describe('F2: persistent failures get bounded, jittered retries, then an error or the fallback', () => {
  const harness = useHarness(() => ({
    resilience: resilience({ backoff: { type: 'exponential', baseMs: 100, maxMs: 1000 } }),
    routes: { 'f2-route': { targets: [{ provider: 'openai', model: 'f2-down~status=503' }, { provider: 'anthropic', model: 'f2-up' }] } },
  }));

  test('persistent 503 → exactly maxAttempts attempts with jittered backoff gaps, then a clean 503', async () => {
    const h = harness();
    const all: number[] = [];
    for (let i = 0; i < 3; i++) {
      h.mock.resetAttempts();
      const err = await h.client.chat.completions.create(chat('openai/f2-503~status=503')).catch((e: unknown) => e);
      assert.ok(err instanceof OpenAI.InternalServerError);
      assert.equal(err.status, 503);
      assert.equal(err.code, 'upstream_overloaded');
      const attempts = attemptsOf(h, 'f2-503');
      assert.equal(attempts.length, 3, 'maxAttempts bounds the attempts');
      const [g1, g2] = gaps(attempts);
      // Full jitter: attempt n waits floor(r × 100 × 2^(n-1)) ms; allow 150 ms for the round trips.
      assert.ok(g1 > 0 && g1 < 100 + 150, `first gap ${g1.toFixed(1)} ms`);
      assert.ok(g2 > 0 && g2 < 200 + 150, `second gap ${g2.toFixed(1)} ms`);
      all.push(g1, g2);
    }
    assert.ok(Math.max(...all) - Math.min(...all) > 2, `gaps vary (jitter): ${all.map((g) => g.toFixed(0)).join(', ')}`);
  });

  test('with a fallback route the fallback serves after the primary\'s attempts are used up', async () => {
    const h = harness();
    const r = await post(h, 'f2-route');
    assert.equal(r.status, 200);
    assert.equal(header(r, 'x-tollgate-provider'), 'anthropic');
    assert.equal(header(r, 'x-tollgate-fallback-index'), '1');
    assert.equal(header(r, 'x-tollgate-attempts'), '4');
    assert.equal(attemptsOf(h, 'f2-down').length, 3);
    assert.equal(attemptsOf(h, 'f2-up').length, 1);
  });
});

describe('F2: the retry budget caps extra attempts under sustained failures', () => {
  const harness = useHarness(() => ({
    resilience: resilience({ retryBudgetRatio: 0.2, backoff: { type: 'constant', baseMs: 1, maxMs: 1 }, circuitBreaker: { failureThreshold: 5, cooldownMs: 500 } }),
  }), false);

  test('every 5th upstream attempt fails: total attempts stay ≤ 1.2 × 200 client requests', async () => {
    const h = harness();
    h.mock.script({ match: { model: 'budget-m' }, steps: [{ status: 500 }, {}, {}, {}, {}], repeat: true });
    const requests = 200;
    let failed = 0;
    for (let i = 0; i < requests; i++) {
      const r = await post(h, 'openai/budget-m');
      if (r.status !== 200) {
        failed++;
        assert.equal(r.status, 502);
        assert.equal(errorCode(r), 'upstream_server_error');
      }
    }
    const attempts = attemptsOf(h, 'budget-m').length;
    assert.ok(attempts <= 1.2 * requests, `${attempts} upstream attempts for ${requests} requests`);
    assert.ok(attempts > requests, 'failures were retried while the budget allowed');
    // Retrying every failure would take 250 attempts and fail no request; the budget stops short.
    assert.ok(failed > 0, 'once the budget ran out, failures were answered instead of retried');
  });
});

describe('F3, F7, 4xx, streams, header overrides, sensitivity and weighted routing', () => {
  const harness = useHarness((mockUrl) => ({
    resilience: resilience(),
    pricing: { 'openai/f3-priced': { input: 1, output: 2 } },
    providers: { compat: { type: 'openai-compatible', baseUrl: `${mockUrl}/v1`, trusted: true } },
    routes: {
      'nr-route': { targets: [{ provider: 'openai', model: 'nr-primary' }, { provider: 'anthropic', model: 'nr-backup' }] },
      'ov-route': { targets: [{ provider: 'openai', model: 'ov-slow~delayMs=2000' }, { provider: 'anthropic', model: 'ov-fast' }] },
      'ttfb-route': { targets: [{ provider: 'openai', model: 'ttfb-late~ttfbMs=4000' }, { provider: 'anthropic', model: 'ttfb-fast' }] },
      'sens-mixed': { targets: [{ provider: 'openai', model: 'sens-open' }, { provider: 'compat', model: 'sens-trusted' }] },
      'sens-none': { targets: [{ provider: 'openai', model: 'sens-x' }, { provider: 'anthropic', model: 'sens-y' }] },
      'sens-failing': { targets: [{ provider: 'compat', model: 'sens-down~status=500' }, { provider: 'openai', model: 'sens-leak' }] },
      'w-route': { strategy: 'weighted', targets: [{ provider: 'openai', model: 'w-heavy', weight: 3 }, { provider: 'anthropic', model: 'w-light', weight: 1 }] },
    },
  }));

  test('F3: a 500 then OK → 200 after 2 attempts, one log row, cost counted once', async () => {
    const h = harness();
    h.mock.script({ match: { model: 'f3-priced' }, steps: [{ status: 500 }, {}] });
    const id = rid('f3');
    const r = await post(h, 'openai/f3-priced', { 'x-request-id': id });
    assert.equal(r.status, 200);
    assert.equal(header(r, 'x-tollgate-attempts'), '2');
    assert.equal(attemptsOf(h, 'f3-priced').length, 2);
    const usage = r.json().usage as { prompt_tokens: number; completion_tokens: number };
    const expected = usage.prompt_tokens * 1 + usage.completion_tokens * 2;
    assert.equal(header(r, 'x-tollgate-cost-usd'), (expected / 1e6).toFixed(6));
    await h.gateway.services.events.flush();
    const rows: UsageEvent[] = [];
    for await (const e of h.gateway.services.store!.scan({ requestId: id })) rows.push(e);
    assert.equal(rows.length, 1, 'exactly one row for the request, not one per attempt');
    assert.equal(rows[0].attempts, 2);
    assert.equal(rows[0].status, 200);
    assert.equal(rows[0].errorCode, null);
    assert.equal(rows[0].tokensIn, usage.prompt_tokens);
    assert.equal(rows[0].tokensOut, usage.completion_tokens);
    assert.equal(rows[0].costMicros, expected);
  });

  test('F7: a connection reset before the headers is retried transparently', async () => {
    const h = harness();
    h.mock.script({ match: { model: 'f7-reset' }, steps: [{ reset: true }, {}] });
    const { data, response } = await h.client.chat.completions.create(chat('openai/f7-reset')).withResponse();
    assert.equal(data.object, 'chat.completion');
    assert.equal(response.headers.get('x-tollgate-attempts'), '2');
    const attempts = attemptsOf(h, 'f7-reset');
    assert.deepEqual(attempts.map((a) => a.outcome), ['reset', 'ok']);
  });

  test('a non-retryable 400 gets exactly one attempt, even with a fallback target', async () => {
    const h = harness();
    h.mock.script({ match: { model: 'nr-primary' }, steps: [{ status: 400, errorCode: 'context_length_exceeded' }] });
    const err = await h.client.chat.completions.create(chat('nr-route')).catch((e: unknown) => e);
    assert.ok(err instanceof OpenAI.BadRequestError);
    assert.equal(err.code, 'context_length_exceeded');
    assert.equal(attemptsOf(h, 'nr-primary').length, 1);
    assert.equal(attemptsOf(h, 'nr-backup').length, 0);
  });

  test('streams: a failure before the first event is retried and the client sees a normal stream', async () => {
    const h = harness();
    h.mock.script({ match: { model: 'st-retry' }, steps: [{ status: 500 }, {}] });
    const r = await post(h, 'openai/st-retry', {}, { stream: true });
    assert.equal(r.status, 200);
    assert.match(String(header(r, 'content-type')), /^text\/event-stream/);
    assert.equal(header(r, 'x-tollgate-attempts'), '2');
    const { data, events } = sseEvents(r.text);
    assert.deepEqual(events, []);
    assert.equal(data[data.length - 1], '[DONE]');
    assert.ok(data.length > 2);
    assert.equal(attemptsOf(h, 'st-retry').length, 2);
  });

  test('streams: a stream cut after events were sent is not retried and ends with an error event', async () => {
    const h = harness();
    const r = await post(h, 'openai/st-cut~chunks=5~cutAfter=2', {}, { stream: true });
    assert.equal(r.status, 200);
    const { data, events } = sseEvents(r.text);
    assert.deepEqual(events, ['error']);
    assert.ok(!data.includes('[DONE]'));
    assert.equal((JSON.parse(data[data.length - 1]) as { error: { code: string } }).error.code, 'upstream_stream_interrupted');
    await sleep(100); // a retry, were there one, would have reached the mock by now
    assert.equal(attemptsOf(h, 'st-cut').length, 1);
  });

  test('F6: a stream whose head arrives but whose first event is late falls back, since the client has seen nothing', async () => {
    const h = harness();
    const r = await post(h, 'ttfb-route', { 'x-tollgate-max-attempts': '1' }, { stream: true });
    assert.equal(r.status, 200);
    assert.equal(header(r, 'x-tollgate-fallback-index'), '1');
    assert.equal(header(r, 'x-tollgate-provider'), 'anthropic');
    const { data, events } = sseEvents(r.text);
    assert.deepEqual(events, []);
    assert.equal(data.at(-1), '[DONE]');
    const late = attemptsOf(h, 'ttfb-late');
    assert.equal(late.length, 1);
    assert.equal(late[0].closedByClient, true, 'the late stream was abandoned, not awaited');
    assert.equal(attemptsOf(h, 'ttfb-fast').length, 1);
  });

  test('x-tollgate-max-attempts: 1 → a 500 gets exactly one attempt (two without the header)', async () => {
    const h = harness();
    h.mock.script({ match: { model: 'ov-once' }, steps: [{ status: 500 }, {}] });
    const r = await post(h, 'openai/ov-once', { 'x-tollgate-max-attempts': '1' });
    assert.equal(r.status, 502);
    assert.equal(errorCode(r), 'upstream_server_error');
    assert.equal(attemptsOf(h, 'ov-once').length, 1);
    h.mock.clearScripts();
    h.mock.resetAttempts();
    h.mock.script({ match: { model: 'ov-once' }, steps: [{ status: 500 }, {}] });
    const again = await post(h, 'openai/ov-once');
    assert.equal(again.status, 200);
    assert.equal(attemptsOf(h, 'ov-once').length, 2);
  });

  test('cf-aig-request-timeout: 300 → a first target that takes 2 s is abandoned for the second', async () => {
    const h = harness();
    const r = await post(h, 'ov-route', { 'cf-aig-request-timeout': '300' });
    assert.equal(r.status, 200);
    assert.equal(header(r, 'x-tollgate-fallback-index'), '1');
    assert.equal(header(r, 'x-tollgate-provider'), 'anthropic');
    const slow = attemptsOf(h, 'ov-slow');
    assert.ok(slow.length >= 1 && slow.length <= 3, `${slow.length} attempts on the slow target`);
    assert.ok(slow.every((a) => a.closedByClient), 'each timed-out attempt was abandoned, not awaited');
    assert.equal(attemptsOf(h, 'ov-fast').length, 1);
  });

  test('cf-aig-request-timeout: 300 → the fallback answers sooner than the slow target would have', async () => {
    const h = harness();
    const { value: r, ms } = await timed(post(h, 'ov-route', { 'cf-aig-request-timeout': '300' }));
    assert.equal(r.status, 200);
    // Three 300 ms attempts plus ≤ 50 ms backoffs: ~1 s. With the late timer it is ~3 s.
    assert.ok(ms < 1500, `answered in ${ms.toFixed(0)} ms`);
  });

  test('sensitivity: confidential data only reaches the trusted target', async () => {
    const h = harness();
    const open = await post(h, 'sens-mixed');
    assert.equal(header(open, 'x-tollgate-provider'), 'openai', 'public data takes the first target');
    h.mock.resetAttempts();
    const r = await post(h, 'sens-mixed', { 'x-tollgate-sensitivity': 'confidential' });
    assert.equal(r.status, 200);
    assert.equal(header(r, 'x-tollgate-provider'), 'compat');
    assert.equal(attemptsOf(h, 'sens-open').length, 0);
    assert.equal(attemptsOf(h, 'sens-trusted').length, 1);
  });

  test('sensitivity: no trusted target → 403 target_not_allowed and no upstream attempt (typos fail closed)', async () => {
    const h = harness();
    for (const level of ['confidential', 'internal', 'Confidental']) {
      const r = await post(h, 'sens-none', { 'x-tollgate-sensitivity': level });
      assert.equal(r.status, 403, level);
      assert.equal(errorCode(r), 'target_not_allowed');
    }
    assert.equal(h.mock.attempts().length, 0);
  });

  test('sensitivity: a failing trusted target never falls back to an untrusted one', async () => {
    const h = harness();
    const r = await post(h, 'sens-failing', { 'x-tollgate-sensitivity': 'confidential' });
    assert.equal(r.status, 502);
    assert.equal(attemptsOf(h, 'sens-down').length, 3);
    assert.equal(attemptsOf(h, 'sens-leak').length, 0);
  });

  test('weighted routing 3:1 → the heavy target gets 65–85% of first attempts over 200 requests', async () => {
    const h = harness();
    const total = 200;
    for (let i = 0; i < total; i += 10) {
      const batch = await Promise.all(Array.from({ length: 10 }, () => post(h, 'w-route')));
      for (const r of batch) assert.equal(r.status, 200);
    }
    const heavy = attemptsOf(h, 'w-heavy').length;
    const light = attemptsOf(h, 'w-light').length;
    assert.equal(heavy + light, total, 'one attempt per request');
    assert.ok(heavy >= 0.65 * total && heavy <= 0.85 * total, `heavy target got ${heavy} of ${total}`);
  });
});

describe('4xx listed in fallbackOnStatus', () => {
  const harness = useHarness(() => ({
    resilience: resilience({ fallbackOnStatus: [400] }),
    routes: { 'nr-route': { targets: [{ provider: 'openai', model: 'nrf-primary' }, { provider: 'anthropic', model: 'nrf-backup' }] } },
  }));

  test('a 400 listed in fallbackOnStatus → the fallback serves', async () => {
    const h = harness();
    h.mock.script({ match: { model: 'nrf-primary' }, steps: [{ status: 400, errorCode: 'context_length_exceeded' }] });
    const r = await post(h, 'nr-route');
    assert.equal(r.status, 200);
    assert.equal(header(r, 'x-tollgate-fallback-index'), '1');
    assert.equal(header(r, 'x-tollgate-provider'), 'anthropic');
    assert.equal(attemptsOf(h, 'nrf-primary').length, 1);
    assert.equal(attemptsOf(h, 'nrf-backup').length, 1);
  });
});
