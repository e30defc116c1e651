/**
 * Active health probes: for every provider whose config has `probe: {interval, timeout}`, one
 * light request (the adapter's `probeRequest`, a model list) every `interval`, and the latest
 * result per provider for /health and /metrics. This module only schedules and remembers; the
 * request itself is the injected runner's (probe-call.ts sends it through the SSRF-guarded
 * upstream client), and the clock and timers are injectable so scheduling is tested without
 * sleeping.
 *
 * Probes of one provider never overlap: the next is scheduled when the previous one settles.
 * `plan` is called at start and on every config reload: providers that lost their probe (or
 * were removed) stop and forget their result; the others keep it and resume on their interval
 * counted from their last check, so a reload does not cause a burst. An in-flight probe of a
 * re-planned or closed prober is aborted and its result discarded. Timers are unref'd: probes
 * never keep a process alive. Results deliberately do not feed routing or breakers (see
 * docs/DESIGN.md, "Provider health").
 */
import type { RuntimeProvider } from '../config/compile.js';
import { AbortSwitch } from '../upstream/abort-switch.js';
import { systemClock, type Clock } from './clock.js';

export interface ProbeOutcome {
  readonly ok: boolean;
  /** Time to the provider's response headers (or to the failure), ms. */
  readonly latencyMs: number;
  /** Catalogue code of the failure (e.g. upstream_server_error, upstream_timeout). */
  readonly errorCode?: string;
}

export type ProbeRunner = (provider: RuntimeProvider, timeoutMs: number, abort: AbortSwitch) => Promise<ProbeOutcome>;

export interface ProbeResult {
  /** `pending` until the first probe settles. */
  readonly status: 'pending' | 'up' | 'down';
  /** Epoch ms of the last settled probe; null before the first. */
  readonly lastCheck: number | null;
  readonly latencyMs: number | null;
  /** Catalogue code of the last failed probe; null after a success. */
  readonly errorCode: string | null;
  readonly consecutiveFailures: number;
}

export interface ProbeTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const unrefTimers: ProbeTimers = {
  set(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export const PENDING: ProbeResult = Object.freeze({ status: 'pending', lastCheck: null, latencyMs: null, errorCode: null, consecutiveFailures: 0 });

interface Entry {
  readonly provider: RuntimeProvider;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  result: ProbeResult;
  timer?: unknown;
  abort?: AbortSwitch;
}

export interface ProberOptions {
  readonly now?: Clock;
  readonly timers?: ProbeTimers;
  /** Called with every settled probe (logging of state changes). */
  readonly onResult?: (name: string, result: ProbeResult, previous: ProbeResult) => void;
}

export class ProviderProber {
  private readonly entries = new Map<string, Entry>();
  private readonly now: Clock;
  private readonly timers: ProbeTimers;
  private closed = false;

  constructor(private readonly run: ProbeRunner, private readonly options: ProberOptions = {}) {
    this.now = options.now ?? systemClock;
    this.timers = options.timers ?? unrefTimers;
  }

  /** (Re-)plans the probes for a config's providers; keeps results of providers still probed. */
  plan(providers: ReadonlyMap<string, RuntimeProvider>): void {
    if (this.closed) return;
    const previous = new Map(this.entries);
    for (const entry of previous.values()) this.stop(entry);
    this.entries.clear();
    for (const [name, provider] of providers) {
      const probe = provider.settings.probe;
      if (!probe) continue;
      const result = previous.get(name)?.result ?? PENDING;
      const entry: Entry = { provider, intervalMs: probe.interval, timeoutMs: probe.timeout, result };
      this.entries.set(name, entry);
      const due = result.lastCheck === null ? 0 : Math.max(0, result.lastCheck + probe.interval - this.now());
      this.schedule(name, entry, due);
    }
  }

  /** The latest result per probed provider (providers without a probe are absent). */
  results(): ReadonlyMap<string, ProbeResult> {
    const out = new Map<string, ProbeResult>();
    for (const [name, entry] of this.entries) out.set(name, entry.result);
    return out;
  }

  /** Stops every probe (shutdown); in-flight ones are aborted and their results dropped. */
  close(): void {
    this.closed = true;
    for (const entry of this.entries.values()) this.stop(entry);
  }

  private stop(entry: Entry): void {
    if (entry.timer !== undefined) this.timers.clear(entry.timer);
    entry.timer = undefined;
    entry.abort?.abort('client_closed');
    entry.abort = undefined;
  }

  private schedule(name: string, entry: Entry, ms: number): void {
    entry.timer = this.timers.set(() => void this.fire(name, entry), ms);
  }

  private async fire(name: string, entry: Entry): Promise<void> {
    entry.timer = undefined;
    if (this.closed || this.entries.get(name) !== entry) return;
    const abort = new AbortSwitch();
    entry.abort = abort;
    const started = this.now();
    let outcome: ProbeOutcome;
    try {
      outcome = await this.run(entry.provider, entry.timeoutMs, abort);
    } catch {
      // A runner must not throw; if one does, the probe failed for a reason of ours.
      outcome = { ok: false, latencyMs: this.now() - started, errorCode: 'internal_error' };
    }
    if (this.closed || this.entries.get(name) !== entry || abort.aborted && abort.cause === 'client_closed') return;
    entry.abort = undefined;
    const previous = entry.result;
    entry.result = {
      status: outcome.ok ? 'up' : 'down',
      lastCheck: this.now(),
      latencyMs: Math.round(outcome.latencyMs * 1000) / 1000,
      errorCode: outcome.ok ? null : outcome.errorCode ?? 'upstream_unreachable',
      consecutiveFailures: outcome.ok ? 0 : previous.consecutiveFailures + 1,
    };
    try {
      this.options.onResult?.(name, entry.result, previous);
    } catch {
      // Observing a probe must never stop the probing.
    }
    this.schedule(name, entry, entry.intervalMs);
  }
}
