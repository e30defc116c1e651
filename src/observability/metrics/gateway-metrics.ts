/**
 * The gateway's Prometheus metrics on their own prom-client Registry (never the global one, so
 * several gateways in one process — tests — do not mix). Every finished request is observed
 * once, synchronously, from its UsageEvent: label values are bounded first (label-bounds.ts),
 * then the children are found through memo trees, so a request costs map lookups and counter
 * additions. Gauges that mirror other state (breakers, provider probes, connections, the event
 * queue's drops, unknown prices) are read at scrape time through collect callbacks, not on the request path.
 *
 * It deliberately does not serve HTTP (metrics-routes.ts) and does not decide auth.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { RuntimeConfig } from '../../config/compile.js';
import type { UsageEvent } from '../../metering/usage-event.js';
import { ChildTree } from './child-tree.js';
import { FastCounter, FastHistogram, type CounterChild, type HistogramChild } from './fast-series.js';
import { LabelBounds } from './label-bounds.js';
import { budgetRejection, cacheResult, rateLimited } from './outcome-codes.js';

/** From sub-millisecond cache hits to two-minute generations. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120];

/** What the scrape-time gauges read; each is optional so unit tests can leave parts out. */
export interface MetricSources {
  /** Worst breaker state per provider: 0 closed, 1 open, 2 half-open. */
  breakerStates?(): Promise<ReadonlyMap<string, number>>;
  activeConnections?(): Promise<number>;
  logQueueDropped?(): number;
  unknownPrices?(): number;
  /** Requests refused by load shedding, by reason (in_flight, memory, provider_queue). */
  shedRequests?(): Readonly<Record<string, number>>;
  /** Failed log writes since start, by target (store, spool); disk full shows here (F15). */
  logStoreWriteErrors?(): Readonly<Record<string, number>>;
  /** Latest active probe result per probed provider (configured names only: bounded). */
  probes?(): ReadonlyMap<string, { status: 'pending' | 'up' | 'down'; latencyMs: number | null }>;
}

interface ModelChildren {
  tokensIn: CounterChild;
  tokensOut: CounterChild;
  cost: CounterChild;
  duration: HistogramChild;
  ttft: HistogramChild;
}

function sourcedCounter(registry: Registry, name: string, help: string, read: (() => number) | undefined): void {
  new Counter({
    name, help, registers: [registry],
    collect() {
      // A counter mirrored from a monotonic source: replace, never add.
      this.reset();
      const v = read?.() ?? 0;
      if (v > 0) this.inc(v);
    },
  });
}

export class GatewayMetrics {
  readonly registry = new Registry();
  private bounds: LabelBounds | undefined;
  private boundsFor: RuntimeConfig | undefined;
  private readonly duration: FastHistogram;
  private readonly ttft: FastHistogram;
  // Memos from bounded label values to their series; they survive reloads (labels are labels).
  private readonly requestChildren: ChildTree<CounterChild>;
  private readonly modelChildren: ChildTree<ModelChildren>;
  private readonly attemptChildren: ChildTree<CounterChild>;
  private readonly cacheChildren: ChildTree<CounterChild>;
  private readonly saved: CounterChild;
  private readonly rateLimited: CounterChild;
  private readonly budget: CounterChild;

  constructor(private readonly maxOperations = 50, sources: MetricSources = {}) {
    const r = this.registry;
    collectDefaultMetrics({ register: r });
    // Gauges named *_total fail `promtool check metrics`; their per-type twins stay.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) r.removeSingleMetric(name);
    const requests = new FastCounter(r, 'ai_gateway_requests_total', 'Finished requests.', ['provider', 'model', 'operation', 'tenant', 'status', 'cache_status']);
    const tokens = new FastCounter(r, 'ai_gateway_tokens_total', 'Tokens billed, by direction.', ['direction', 'provider', 'model', 'tenant']);
    const cost = new FastCounter(r, 'ai_gateway_cost_usd_total', 'Cost of answered requests in USD (unknown prices add nothing; see ai_gateway_unknown_price_total).', ['provider', 'model', 'tenant']);
    this.duration = new FastHistogram(r, 'ai_gateway_request_duration_seconds', 'Time from arrival to the end of the answer.', ['provider', 'model'], LATENCY_BUCKETS);
    this.ttft = new FastHistogram(r, 'ai_gateway_time_to_first_token_seconds', 'Time from arrival to the first byte or token sent.', ['provider', 'model'], LATENCY_BUCKETS);
    const attempts = new FastCounter(r, 'ai_gateway_upstream_attempts_total', 'Upstream attempts, retries and fallbacks included, by upstream status (`error`: no HTTP answer).', ['provider', 'status']);
    const cache = new FastCounter(r, 'ai_gateway_cache_requests_total', 'Cache lookups by result.', ['result']);
    this.saved = new FastCounter(r, 'ai_gateway_cost_saved_usd_total', 'Cost avoided by cache hits, USD.').child();
    this.rateLimited = new FastCounter(r, 'ai_gateway_rate_limited_total', 'Requests refused by a rate limit.').child();
    this.budget = new FastCounter(r, 'ai_gateway_budget_rejections_total', 'Requests refused by a budget or quota.').child();
    const s = (k: Array<string | number>): string[] => k.map(String);
    this.requestChildren = new ChildTree(6, (k) => requests.child(s(k)));
    const durations = new ChildTree(2, (k) => ({ duration: this.duration.child(s(k)), ttft: this.ttft.child(s(k)) }));
    this.modelChildren = new ChildTree(3, ([p, m, t]) => {
      const d = durations.get(p, m);
      return {
        tokensIn: tokens.child(s(['input', p, m, t])),
        tokensOut: tokens.child(s(['output', p, m, t])),
        cost: cost.child(s([p, m, t])),
        duration: d.duration,
        ttft: d.ttft,
      };
    });
    this.attemptChildren = new ChildTree(2, ([p, st]) => attempts.child([String(p), st === 0 ? 'error' : String(st)]));
    this.cacheChildren = new ChildTree(1, (k) => cache.child(s(k)));
    this.registerSourced(sources);
  }

  private registerSourced(sources: MetricSources): void {
    const registers = [this.registry];
    new Gauge({
      name: 'ai_gateway_circuit_breaker_state', help: 'Worst circuit breaker state of the provider\'s targets: 0 closed, 1 open, 2 half-open.', labelNames: ['provider'], registers,
      async collect() {
        this.reset();
        for (const [provider, v] of (await sources.breakerStates?.()) ?? new Map()) this.labels(provider).set(v);
      },
    });
    new Gauge({
      name: 'ai_gateway_active_connections', help: 'Open client connections.', registers,
      async collect() { this.set((await sources.activeConnections?.()) ?? 0); },
    });
    new Gauge({
      name: 'ai_gateway_provider_probe_up', help: 'Result of the provider\'s last active health probe: 1 answered, 0 failed (absent before the first or without a probe).', labelNames: ['provider'], registers,
      collect() {
        this.reset();
        for (const [provider, r] of sources.probes?.() ?? new Map()) if (r.status !== 'pending') this.labels(provider).set(r.status === 'up' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'ai_gateway_provider_probe_latency_seconds', help: 'Time to the response headers (or the failure) of the provider\'s last active health probe.', labelNames: ['provider'], registers,
      collect() {
        this.reset();
        for (const [provider, r] of sources.probes?.() ?? new Map()) if (r.latencyMs !== null) this.labels(provider).set(r.latencyMs / 1000);
      },
    });
    sourcedCounter(this.registry, 'ai_gateway_log_queue_dropped_total', 'Usage events dropped because the event queue was full.', sources.logQueueDropped);
    sourcedCounter(this.registry, 'ai_gateway_unknown_price_total', 'Requests whose model had no known price.', sources.unknownPrices);
    new Counter({
      name: 'ai_gateway_shed_requests_total', help: 'Requests refused by load shedding (503 overloaded) or a full provider queue (503 provider_queue_full), by reason.', labelNames: ['reason'], registers,
      collect() {
        this.reset();
        for (const [reason, n] of Object.entries(sources.shedRequests?.() ?? {})) if (n > 0) this.labels(reason).inc(n);
      },
    });
    new Counter({
      name: 'ai_gateway_log_store_write_errors_total', help: 'Failed request-log writes, by target (store: the log store, spool: the local spool); rows wait in the spool or memory.', labelNames: ['target'], registers,
      collect() {
        this.reset();
        for (const [target, n] of Object.entries(sources.logStoreWriteErrors?.() ?? {})) if (n > 0) this.labels(target).inc(n);
      },
    });
  }

  private boundsOf(config: RuntimeConfig): LabelBounds {
    if (this.boundsFor !== config || !this.bounds) {
      // A reload may change which raw values are allowed; series are keyed by label values, so they stay.
      this.bounds = new LabelBounds(config, this.maxOperations);
      this.boundsFor = config;
    }
    return this.bounds;
  }

  /**
   * Called once per finished request, synchronously; never throws on odd values. `failed` lists
   * the attempts that failed (provider, upstream status or 0); the others answered with the
   * request's status.
   */
  observe(e: UsageEvent, config: RuntimeConfig, failed?: ReadonlyArray<{ provider: string; status: number }>): void {
    const b = this.boundsOf(config);
    const provider = b.provider(e.provider);
    const model = b.model(e.provider, e.model);
    const tenant = b.tenant(e.tenant);
    this.requestChildren.get(provider, model, b.operation(e.operation), tenant, e.status, e.cacheStatus ?? 'none').value++;
    const m = this.modelChildren.get(provider, model, tenant);
    m.tokensIn.value += e.tokensIn;
    m.tokensOut.value += e.tokensOut;
    if (e.costMicros !== null && e.costMicros > 0) m.cost.value += e.costMicros / 1e6;
    this.duration.observe(m.duration, e.latencyMs / 1000);
    if (e.ttftMs !== null) this.ttft.observe(m.ttft, e.ttftMs / 1000);
    if (e.attempts > 0) this.observeAttempts(b, e, provider, failed);
    const cache = cacheResult(e.cacheStatus);
    if (cache !== undefined) this.cacheChildren.get(cache).value++;
    if (e.savedMicros > 0) this.saved.value += e.savedMicros / 1e6;
    if (rateLimited(e.errorCode)) this.rateLimited.value++;
    else if (budgetRejection(e.errorCode)) this.budget.value++;
  }

  private observeAttempts(b: LabelBounds, e: UsageEvent, provider: string, failed: ReadonlyArray<{ provider: string; status: number }> | undefined): void {
    const failures = failed?.length ?? 0;
    for (let i = 0; i < failures; i++) {
      const f = failed![i];
      this.attemptChildren.get(b.provider(f.provider), b.status(f.status)).value++;
    }
    if (e.attempts > failures) this.attemptChildren.get(provider, b.status(e.status)).value += e.attempts - failures;
  }

  /** The exposition text and its content type, for GET /metrics. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
