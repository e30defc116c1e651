/**
 * Test support for the end-to-end resilience tests (resilience-*.test.ts): the short timeouts,
 * the resilience section builder, a harness per describe block (started before, closed after,
 * the mock's attempt log and scripts reset before each test), and small helpers to read
 * attempts, gaps, headers and error codes. Each block starts its own harness because breakers,
 * trackers and the retry budget live per gateway.
 */
import { after, before, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import type { Attempt } from '../../src/mock-upstream/server.js';
import { startHarness, type Harness } from './harness.js';
import { postJson, type RawResponse } from './http-client.js';
export const TIMEOUTS = { connectMs: 1000, firstByteMs: 3000, idleMs: 1500, totalMs: 6000 };

/** Scheduling slack for timing assertions on a busy 2-core machine. */
export const FIRST_BYTE_SLACK_MS = 1000;

/** A full `resilience` section (it replaces the harness's): quick backoff, a lenient breaker. */
export function resilience(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    maxAttempts: 3,
    backoff: { type: 'exponential', baseMs: 10, maxMs: 50 },
    retryBudgetRatio: 1,
    circuitBreaker: { failureThreshold: 100, cooldownMs: 500 },
    timeouts: TIMEOUTS,
    ...overrides,
  };
}

export const chat = (model: string, extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: 'user' as const, content: 'hi' }], ...extra });
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export let seq = 0;
export const rid = (tag: string) => `${tag}-${process.pid}-${++seq}-resilience`;

export function header(r: RawResponse, name: string): string | undefined {
  const v = r.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function errorCode(r: RawResponse): string {
  return String((r.json().error as Record<string, unknown>).code);
}

/**
 * Starts a harness for the enclosing describe block and returns an accessor for it. Unless
 * `prime` is false, ten good requests first repay the retry budget's start-up loan.
 */
export function useHarness(config: (mockUrl: string) => Record<string, unknown>, prime = true): () => Harness {
  let h: Harness | undefined;
  before(async () => {
    h = await startHarness({ config });
    if (prime) {
      for (let i = 0; i < 10; i++) assert.equal((await postJson(`${h.gateway.url}/v1/chat/completions`, chat('openai/prime'))).status, 200);
    }
  });
  after(async () => { await h?.close(); });
  beforeEach(() => {
    h?.mock.resetAttempts();
    h?.mock.clearScripts();
  });
  return () => {
    assert.ok(h, 'harness started');
    return h;
  };
}

export function attemptsOf(h: Harness, model: string): Attempt[] {
  return h.mock.attempts().filter((a) => a.model === model);
}

export function gaps(attempts: Attempt[]): number[] {
  return attempts.slice(1).map((a, i) => a.time - attempts[i].time);
}

export async function post(h: Harness, model: string, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}): Promise<RawResponse> {
  return postJson(`${h.gateway.url}/v1/chat/completions`, chat(model, extra), headers);
}

export async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work;
  return { value, ms: performance.now() - started };
}

export async function waitFor(check: () => boolean, ms = 1000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await sleep(20);
  }
  return check();
}
