/**
 * The live signals alert rules read: an event sink that files every UsageEvent into the
 * series of each scope a rule watches (global, or per provider / model / tenant / operation,
 * optionally filtered by a rule's `match`), plus the circuit breakers' open times and, when
 * access control provides it, budget utilisation.
 *
 * Memory is bounded: each tracker keeps at most MAX_VALUES scope values (the least recently
 * seen is forgotten), and each series keeps only the minutes its longest rule window needs.
 * It never reads the log store: alerts are about live traffic.
 */
import type { EventSink } from '../metering/event-queue.js';
import type { UsageEvent } from '../metering/usage-event.js';
import type { AlertRule, Dimension, RuleMatch } from './alert-rule.js';
import { MINUTE, SignalSeries } from './signal-series.js';

const MAX_VALUES = 200;
export const GLOBAL = '*';

export interface BudgetUtilization {
  /** Tenant (or key) name the budget belongs to. */
  scope: string;
  /** Spent ÷ limit in the current window, 0..1+. */
  ratio: number;
}

function trackerKey(rule: AlertRule): string {
  return JSON.stringify([rule.scope, rule.match ?? null]);
}

function valueOf(e: UsageEvent, d: Dimension): string | null {
  switch (d) {
    case 'global': return GLOBAL;
    case 'provider': return e.provider;
    case 'model': return e.provider && e.model ? `${e.provider}/${e.model}` : e.model;
    case 'tenant': return e.tenant;
    case 'operation': return e.operation;
  }
}

function matches(e: UsageEvent, m: RuleMatch | undefined): boolean {
  if (!m) return true;
  return (m.provider === undefined || m.provider === e.provider)
    && (m.model === undefined || m.model === e.model || `${e.provider}/${e.model}` === m.model)
    && (m.tenant === undefined || m.tenant === e.tenant)
    && (m.operation === undefined || m.operation === e.operation);
}

class Tracker {
  readonly series = new Map<string, SignalSeries>();
  /** The newest key of `series`: seeing it again needs no re-insertion. */
  private newest: string | undefined;

  constructor(readonly dimension: Dimension, readonly match: RuleMatch | undefined, private readonly retentionMs: number, private readonly latency: boolean) {}

  add(e: UsageEvent, now: number): void {
    if (!matches(e, this.match)) return;
    const v = valueOf(e, this.dimension);
    if (v === null) return;
    let s = this.series.get(v);
    if (!s) {
      if (this.series.size >= MAX_VALUES) this.forgetOldest();
      this.series.set(v, (s = new SignalSeries(this.retentionMs, this.latency)));
    } else if (v !== this.newest) {
      // Re-insert so the map's order stays least-recently-seen first. Most events of a batch
      // share their scope value (always, for `global`), and a delete per event made V8 rebuild
      // the map's table over and over.
      this.series.delete(v);
      this.series.set(v, s);
    }
    this.newest = v;
    s.add(e, now);
  }

  private forgetOldest(): void {
    const first = this.series.keys().next().value;
    if (first !== undefined) this.series.delete(first);
  }
}

export class AlertSignals implements EventSink {
  readonly name = 'alerts';
  private readonly trackers = new Map<string, Tracker>();
  private readonly openSince = new Map<string, number>();
  budgetSource: (() => readonly BudgetUtilization[]) | undefined;

  constructor(rules: readonly AlertRule[], private readonly clock: () => number = Date.now) {
    this.configure(rules);
  }

  /** (Re)builds trackers for a rule set; series of scopes still watched are kept. */
  configure(rules: readonly AlertRule[]): void {
    const wanted = new Map<string, { rule: AlertRule; retention: number; latency: boolean }>();
    for (const r of rules) {
      const k = trackerKey(r);
      const w = wanted.get(k);
      const latency = r.signal === 'latency_p95_ms' || r.signal === 'latency_p99_ms';
      wanted.set(k, { rule: r, retention: Math.max(w?.retention ?? 0, r.window + MINUTE), latency: latency || (w?.latency ?? false) });
    }
    for (const k of this.trackers.keys()) if (!wanted.has(k)) this.trackers.delete(k);
    for (const [k, w] of wanted) {
      const t = this.trackers.get(k);
      if (!t) this.trackers.set(k, new Tracker(w.rule.scope, w.rule.match, w.retention, w.latency));
    }
  }

  async write(batch: readonly UsageEvent[]): Promise<void> {
    this.observe(batch);
  }

  observe(batch: readonly UsageEvent[]): void {
    const now = this.clock();
    for (const e of batch) for (const t of this.trackers.values()) t.add(e, now);
  }

  /** Series of a rule's scope, by scope value. */
  seriesFor(rule: AlertRule): ReadonlyMap<string, SignalSeries> {
    return this.trackers.get(trackerKey(rule))?.series ?? new Map();
  }

  /** A breaker of target `provider/model` changed state (wired to the resilience runtime). */
  breakerChanged(targetId: string, to: string, at = this.clock()): void {
    if (to === 'open' || to === 'half-open') {
      if (!this.openSince.has(targetId)) this.openSince.set(targetId, at);
    } else {
      this.openSince.delete(targetId);
    }
  }

  /** Minutes each provider has had a breaker open (longest of its targets). */
  breakerOpenMinutes(now = this.clock()): Map<string, number> {
    const out = new Map<string, number>();
    for (const [id, since] of this.openSince) {
      const provider = id.split('/')[0] ?? id;
      out.set(provider, Math.max(out.get(provider) ?? 0, (now - since) / MINUTE));
    }
    return out;
  }

  budgets(): readonly BudgetUtilization[] {
    return this.budgetSource?.() ?? [];
  }
}
