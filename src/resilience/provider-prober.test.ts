// Tests for provider-prober.ts with an injected clock and timers (no sleeping): only providers
// with a probe are probed, first at once and then every interval, never overlapping; results
// count consecutive failures and keep the error code; a re-plan keeps results and the rhythm
// of providers still probed and forgets the others; close stops everything and drops the
// result of a probe in flight; a throwing runner or listener never stops probing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RuntimeProvider } from '../config/compile.js';
import { ProviderProber, type ProbeOutcome, type ProbeTimers } from './provider-prober.js';

class FakeTimers implements ProbeTimers {
  now = 1_000;
  private seq = 0;
  readonly pending = new Map<number, { at: number; fn: () => void }>();
  set(fn: () => void, ms: number): number {
    this.pending.set(++this.seq, { at: this.now + ms, fn });
    return this.seq;
  }
  clear(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** Moves time forward, firing due timers in order, and lets their promises settle. */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (let i = 0; i < 10; i++) await Promise.resolve();
    for (;;) {
      const due = [...this.pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
      for (let i = 0; i < 10; i++) await Promise.resolve();
    }
    this.now = end;
  }
}

function provider(name: string, probe?: { interval: number; timeout: number }): RuntimeProvider {
  return { name, adapter: {} as RuntimeProvider['adapter'], settings: { type: 'test', ...(probe ? { probe } : {}) } };
}

function setup(outcomes: (name: string) => ProbeOutcome | Promise<ProbeOutcome>) {
  const timers = new FakeTimers();
  const calls: Array<{ name: string; timeout: number; at: number }> = [];
  const prober = new ProviderProber(async (p, timeout) => {
    calls.push({ name: p.name, timeout, at: timers.now });
    return outcomes(p.name);
  }, { now: () => timers.now, timers });
  return { timers, calls, prober };
}

const every = (interval: number) => ({ interval, timeout: 200 });

test('only providers with a probe; first at once, then every interval', async () => {
  const { timers, calls, prober } = setup(() => ({ ok: true, latencyMs: 12.3456 }));
  prober.plan(new Map([['a', provider('a', every(1_000))], ['b', provider('b')]]));
  assert.deepEqual([...prober.results().keys()], ['a']);
  assert.equal(prober.results().get('a')!.status, 'pending');
  await timers.advance(0);
  assert.deepEqual(prober.results().get('a'), { status: 'up', lastCheck: 1_000, latencyMs: 12.346, errorCode: null, consecutiveFailures: 0 });
  await timers.advance(999);
  assert.equal(calls.length, 1);
  await timers.advance(1);
  await timers.advance(2_000);
  assert.deepEqual(calls.map((c) => c.at), [1_000, 2_000, 3_000, 4_000]);
  assert.ok(calls.every((c) => c.name === 'a' && c.timeout === 200));
});

test('failures are counted and carry their code; a success resets them', async () => {
  const script: ProbeOutcome[] = [{ ok: false, latencyMs: 5, errorCode: 'upstream_server_error' }, { ok: false, latencyMs: 200, errorCode: 'upstream_timeout' }, { ok: true, latencyMs: 3 }];
  const { timers, prober } = setup(() => script.shift()!);
  prober.plan(new Map([['a', provider('a', every(100))]]));
  await timers.advance(0);
  assert.deepEqual([prober.results().get('a')!.status, prober.results().get('a')!.errorCode, prober.results().get('a')!.consecutiveFailures], ['down', 'upstream_server_error', 1]);
  await timers.advance(100);
  assert.deepEqual([prober.results().get('a')!.errorCode, prober.results().get('a')!.consecutiveFailures], ['upstream_timeout', 2]);
  await timers.advance(100);
  assert.deepEqual([prober.results().get('a')!.status, prober.results().get('a')!.errorCode, prober.results().get('a')!.consecutiveFailures], ['up', null, 0]);
});

test('probes of one provider never overlap: the next is planned when one settles', async () => {
  let release: (o: ProbeOutcome) => void = () => undefined;
  const { timers, calls, prober } = setup(() => new Promise<ProbeOutcome>((r) => { release = r; }));
  prober.plan(new Map([['a', provider('a', every(100))]]));
  await timers.advance(1_000);
  assert.equal(calls.length, 1, 'a slow probe holds the next one back');
  release({ ok: true, latencyMs: 900 });
  await timers.advance(0);
  await timers.advance(100);
  assert.equal(calls.length, 2);
});

test('re-plan keeps results and rhythm of providers still probed, forgets the rest', async () => {
  const { timers, calls, prober } = setup(() => ({ ok: true, latencyMs: 1 }));
  prober.plan(new Map([['a', provider('a', every(1_000))], ['b', provider('b', every(1_000))]]));
  await timers.advance(400);
  prober.plan(new Map([['a', provider('a', every(1_000))], ['b', provider('b')]]));
  assert.deepEqual([...prober.results().keys()], ['a']);
  assert.equal(prober.results().get('a')!.status, 'up', 'result kept');
  await timers.advance(599);
  assert.equal(calls.length, 2, 'no burst on reload: the next probe of a is still due at +1000');
  await timers.advance(1);
  assert.deepEqual(calls.map((c) => `${c.name}@${c.at}`), ['a@1000', 'b@1000', 'a@2000']);
  assert.equal(timers.pending.size, 1, 'b has no timer left');
});

test('close stops every probe and drops the result of one in flight', async () => {
  let release: (o: ProbeOutcome) => void = () => undefined;
  let aborted = false;
  const timers = new FakeTimers();
  const prober = new ProviderProber((_p, _t, abort) => new Promise<ProbeOutcome>((r) => {
    release = r;
    abort.once('abort', () => { aborted = true; });
  }), { now: () => timers.now, timers });
  prober.plan(new Map([['a', provider('a', every(100))]]));
  await timers.advance(0);
  prober.close();
  assert.equal(aborted, true, 'the request in flight is aborted');
  release({ ok: false, latencyMs: 1, errorCode: 'client_closed' });
  await timers.advance(1_000);
  assert.equal(prober.results().get('a')!.status, 'pending');
  assert.equal(timers.pending.size, 0);
  prober.plan(new Map([['a', provider('a', every(100))]]));
  assert.equal(timers.pending.size, 0, 'a closed prober plans nothing');
});

test('a throwing runner is a failed probe; a throwing listener stops nothing', async () => {
  const timers = new FakeTimers();
  const seen: string[] = [];
  const prober = new ProviderProber(async () => { throw new Error('bug'); }, {
    now: () => timers.now, timers,
    onResult: (name, r, prev) => { seen.push(`${name}:${prev.status}->${r.status}`); throw new Error('listener bug'); },
  });
  prober.plan(new Map([['a', provider('a', every(100))]]));
  await timers.advance(100);
  assert.equal(prober.results().get('a')!.errorCode, 'internal_error');
  assert.deepEqual(seen, ['a:pending->down', 'a:down->down']);
});
