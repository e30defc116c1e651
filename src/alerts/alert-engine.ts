/**
 * The alerting loop: every `evaluateEvery` it measures each rule over the live signals, steps
 * the lifecycle, stores each transition in the alert history and hands a notification to the
 * delivery queue for each of the rule's destinations. Nothing here is awaited by requests: the
 * signals are fed by the event queue and the loop runs on its own unref'd timer.
 *
 * A config reload swaps rules and destinations in place; firing alerts of rules that still
 * exist keep their state, so a reload does not re-page.
 */
import type { AlertsRuntime } from './alert-config.js';
import type { AlertHistoryStore } from './alert-history-store.js';
import { AlertLifecycle, type AlertTransition } from './alert-lifecycle.js';
import { alertNotification, testNotification, type Notification } from './alert-message.js';
import { AlertSignals } from './alert-signals.js';
import { DeliveryQueue } from './delivery-queue.js';
import type { Destination } from './destinations/destination.js';
import { closeAlertHttp } from './destinations/http-post.js';
import { openDestination } from './destinations/open-destination.js';
import { measure } from './signal-value.js';

export interface AlertEngineOptions {
  history: AlertHistoryStore;
  clock?: () => number;
  onProblem?(what: string, err: unknown): void;
}

export class AlertEngine {
  readonly signals: AlertSignals;
  readonly delivery: DeliveryQueue;
  private readonly lifecycle = new AlertLifecycle();
  private destinations = new Map<string, Destination>();
  private timer: NodeJS.Timeout | undefined;
  private readonly clock: () => number;
  private evaluating = false;

  constructor(private config: AlertsRuntime, private readonly options: AlertEngineOptions) {
    this.clock = options.clock ?? Date.now;
    this.signals = new AlertSignals(config.rules, this.clock);
    this.delivery = new DeliveryQueue({
      maxAttempts: config.delivery.maxAttempts,
      timeoutMs: config.delivery.timeout,
      capacity: config.delivery.queueCapacity,
      onFailure: (dest, err, final) => { if (final) options.onProblem?.(`alert delivery to ${dest} failed`, err); },
    });
    this.openDestinations();
  }

  get history(): AlertHistoryStore {
    return this.options.history;
  }

  start(): void {
    if (this.timer || !this.config.enabled) return;
    this.timer = setInterval(() => { void this.evaluate(); }, this.config.evaluateEveryMs);
    this.timer.unref();
  }

  configure(next: AlertsRuntime): void {
    const old = this.destinations;
    this.config = next;
    this.signals.configure(next.rules);
    this.lifecycle.retain(new Set(next.rules.map((r) => r.name)));
    this.openDestinations();
    for (const d of old.values()) void d.close?.();
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    this.start();
  }

  /** One evaluation round; returns the transitions it caused (tests drive this directly). */
  async evaluate(now = this.clock()): Promise<AlertTransition[]> {
    if (this.evaluating) return [];
    this.evaluating = true;
    try {
      const all: AlertTransition[] = [];
      for (const rule of this.config.rules) {
        const transitions = this.lifecycle.step(rule, measure(rule, this.signals, now, this.config.quotas), now);
        for (const t of transitions) {
          all.push(t);
          this.notify(rule.notify, alertNotification(t, this.config.dashboardUrl));
          await this.options.history.append(t).catch((err: unknown) => this.options.onProblem?.('alert history write failed', err));
        }
      }
      return all;
    } finally {
      this.evaluating = false;
    }
  }

  firing(): ReturnType<AlertLifecycle['firing']> {
    return this.lifecycle.firing();
  }

  notify(names: readonly string[], n: Notification): void {
    for (const name of names) {
      const d = this.destinations.get(name);
      if (d) this.delivery.enqueue(d, n);
    }
  }

  /** Sends a sample notification to one destination and waits for the outcome. */
  sendTest(name: string): Promise<void> {
    return this.sendNow(name, testNotification(this.config.dashboardUrl));
  }

  /** One direct send, bypassing the queue (CLI commands want the outcome). */
  async sendNow(name: string, n: Notification): Promise<void> {
    const d = this.destinations.get(name);
    if (!d) throw new Error(`no alert destination named "${name}" (configured: ${this.destinationNames().join(', ') || 'none'})`);
    await d.send(n, AbortSignal.timeout(this.config.delivery.timeout));
  }

  destinationNames(): string[] {
    return [...this.destinations.keys()];
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.delivery.close();
    for (const d of this.destinations.values()) await d.close?.();
    await closeAlertHttp();
    await this.options.history.close();
  }

  private openDestinations(): void {
    this.destinations = new Map(Object.entries(this.config.destinations).map(([name, cfg]) => [name, openDestination(name, cfg, this.config.delivery.timeout)]));
  }
}
