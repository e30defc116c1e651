/**
 * The gateway's Prometheus metrics on their own prom-client Registry (never the global one, so
 * several gateways in one process — tests — do not mix). Every finished request is observed
 * once, synchronously, from its UsageEvent: label values are bounded first (label-bounds.ts),
 * then the children are found through memo trees, so a request costs map lookups and counter
 * additions. Gauges that mirror other state (breakers, connections, the event queue's drops,
 * unknown prices) are read at scrape time through collect callbacks, not on the request path.
 *
 * It deliberately does not serve HTTP (metrics-routes.ts) and does not decide auth.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RuntimeConfig } from '../../config/compile.js';
import type { UsageEvent } from '../../metering/usage-event.js';
import { ChildTree } from './child-tree.js';
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
}

interface ModelChildren {
  tokensIn: Counter.Internal;
  tokensOut: Counter.Internal;
  cost: Counter.Internal;
  duration: Histogram.Internal<string>;
  ttft: Histogram.Internal<string>;
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
  private readonly requests: Counter<string>;
  private readonly requestChildren: ChildTree<Counter.Internal>;
  private readonly modelChildren: ChildTree<ModelChildren>;
  private readonly attemptChildren: ChildTree<Counter.Internal>;
  private readonly cacheChildren: ChildTree<Counter.Internal>;
  private readonly saved: Counter<string>;
  private readonly rateLimited: Counter<string>;
  private readonly budget: Counter<string>;

  constructor(private readonly maxOperations = 50, sources: MetricSources = {}) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    // Gauges named *_total fail `promtool check metrics`; their per-type twins stay.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) this.registry.removeSingleMetric(name);
    this.requests = new Counter({ name: 'ai_gateway_requests_total', help: 'Finished requests.', labelNames: ['provider', 'model', 'operation', 'tenant', 'status', 'cache_status'], registers });
    const tokens = new Counter({ name: 'ai_gateway_tokens_total', help: 'Tokens billed, by direction.', labelNames: ['direction', 'provider', 'model', 'tenant'], registers });
    const cost = new Counter({ name: 'ai_gateway_cost_usd_total', help: 'Cost of answered requests in USD (unknown prices add nothing; see ai_gateway_unknown_price_total).', labelNames: ['provider', 'model', 'tenant'], registers });
    const duration = new Histogram({ name: 'ai_gateway_request_duration_seconds', help: 'Time from arrival to the end of the answer.', labelNames: ['provider', 'model'], buckets: LATENCY_BUCKETS, registers });
    const ttft = new Histogram({ name: 'ai_gateway_time_to_first_token_seconds', help: 'Time from arrival to the first byte or token sent.', labelNames: ['provider', 'model'], buckets: LATENCY_BUCKETS, registers });
    const attempts = new Counter({ name: 'ai_gateway_upstream_attempts_total', help: 'Upstream attempts, retries and fallbacks included.', labelNames: ['provider'], registers });
    const cache = new Counter({ name: 'ai_gateway_cache_requests_total', help: 'Cache lookups by result.', labelNames: ['result'], registers });
    this.saved = new Counter({ name: 'ai_gateway_cost_saved_usd_total', help: 'Cost avoided by cache hits, USD.', registers });
    this.rateLimited = new Counter({ name: 'ai_gateway_rate_limited_total', help: 'Requests refused by a rate limit.', registers });
    this.budget = new Counter({ name: 'ai_gateway_budget_rejections_total', help: 'Requests refused by a budget or quota.', registers });
    this.requestChildren = new ChildTree(6, (k) => this.requests.labels(...k.map(String)));
    this.modelChildren = new ChildTree(3, ([p, m, t]) => ({
      tokensIn: tokens.labels('input', String(p), String(m), String(t)),
      tokensOut: tokens.labels('output', String(p), String(m), String(t)),
      cost: cost.labels(String(p), String(m), String(t)),
      duration: duration.labels(String(p), String(m)),
      ttft: ttft.labels(String(p), String(m)),
    }));
    this.attemptChildren = new ChildTree(1, ([p]) => attempts.labels(String(p)));
    this.cacheChildren = new ChildTree(1, ([r]) => cache.labels(String(r)));
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
    sourcedCounter(this.registry, 'ai_gateway_log_queue_dropped_total', 'Usage events dropped because the event queue was full.', sources.logQueueDropped);
    sourcedCounter(this.registry, 'ai_gateway_unknown_price_total', 'Requests whose model had no known price.', sources.unknownPrices);
  }

  private boundsOf(config: RuntimeConfig): LabelBounds {
    if (this.boundsFor !== config || !this.bounds) {
      // A reload may change which values are allowed: forget the memos, keep the counts.
      this.bounds = new LabelBounds(config, this.maxOperations);
      this.boundsFor = config;
      this.requestChildren.clear();
      this.modelChildren.clear();
      this.attemptChildren.clear();
    }
    return this.bounds;
  }

  /** Called once per finished request, synchronously; never throws on odd values. */
  observe(e: UsageEvent, config: RuntimeConfig): void {
    const b = this.boundsOf(config);
    const provider = b.provider(e.provider);
    const model = b.model(e.provider, e.model);
    const tenant = b.tenant(e.tenant);
    this.requestChildren.get(provider, model, b.operation(e.operation), tenant, e.status, e.cacheStatus ?? 'none').inc();
    const m = this.modelChildren.get(provider, model, tenant);
    if (e.tokensIn > 0) m.tokensIn.inc(e.tokensIn);
    if (e.tokensOut > 0) m.tokensOut.inc(e.tokensOut);
    if (e.costMicros !== null && e.costMicros > 0) m.cost.inc(e.costMicros / 1e6);
    m.duration.observe(e.latencyMs / 1000);
    if (e.ttftMs !== null) m.ttft.observe(e.ttftMs / 1000);
    if (e.attempts > 0) this.attemptChildren.get(provider).inc(e.attempts);
    const cache = cacheResult(e.cacheStatus);
    if (cache !== undefined) this.cacheChildren.get(cache).inc();
    if (e.savedMicros > 0) this.saved.inc(e.savedMicros / 1e6);
    if (rateLimited(e.errorCode)) this.rateLimited.inc();
    else if (budgetRejection(e.errorCode)) this.budget.inc();
  }

  /** The exposition text and its content type, for GET /metrics. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
