/**
 * The `/metrics` scrape target: a gateway's metrics after about a million observed requests
 * answer in ≤ 50 ms. The million requests are synthesised: UsageEvents spread over every
 * provider, model, operation, status and cache result of a realistic config (plus unknown
 * models, users and request ids that must collapse into bounded labels) are observed directly
 * into a GatewayMetrics, in this process, and then the registry is scraped several times. The
 * series count, not the request count, decides the scrape time; this makes that visible.
 */
import { loadConfigDocument } from '../src/config/load.js';
import type { UsageEvent } from '../src/metering/usage-event.js';
import { GatewayMetrics } from '../src/observability/metrics/gateway-metrics.js';

export interface ScrapeFigures {
  observations: number;
  observeNsPerRequest: number;
  samples: number;
  bodyKiB: number;
  scrapes: number;
  medianMs: number;
  maxMs: number;
}

const PROVIDERS = ['openai', 'anthropic', 'groq', 'mistral'];
const MODELS = ['m-small', 'm-medium', 'm-large', 'm-embed'];
const STATUSES = [200, 200, 200, 200, 200, 200, 400, 429, 500, 503];
const CACHE = ['HIT', 'MISS', 'BYPASS', null] as const;

function configFor() {
  const providers = Object.fromEntries(PROVIDERS.map((p) => [p, { type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', models: MODELS }]));
  return loadConfigDocument({ storage: 'none://', providers }, {});
}

function eventAt(i: number): UsageEvent {
  return {
    requestId: `r${i}`, time: 0, tenant: null, keyId: null, user: `user-${i % 10_000}`, operation: `op-${i % 60}`, metadata: null,
    endpoint: 'chat', provider: PROVIDERS[i % PROVIDERS.length], model: i % 97 === 0 ? `unknown-${i}` : MODELS[(i >> 2) % MODELS.length],
    routeAlias: null, status: STATUSES[i % STATUSES.length], errorCode: null, cacheStatus: CACHE[i % CACHE.length], attempts: 1,
    fallbackIndex: 0, latencyMs: 0.3 + (i % 5000), ttftMs: 0.2 + (i % 900), tokensIn: 100 + (i % 50), tokensOut: 20 + (i % 30),
    tokensCached: 0, tokensCacheWrite: 0, neurons: null, costMicros: 250 + (i % 100), savedMicros: 0, stream: false, partial: false,
    estimated: false, collect: true, payload: null,
  };
}

export async function measureScrape(observations = 1_000_000, scrapes = 9): Promise<ScrapeFigures> {
  const config = configFor();
  const metrics = new GatewayMetrics(50);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < observations; i++) metrics.observe(eventAt(i), config);
  const observeNs = Number(process.hrtime.bigint() - t0);
  const times: number[] = [];
  let body = '';
  for (let i = 0; i < scrapes; i++) {
    const start = performance.now();
    body = (await metrics.scrape()).body;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return {
    observations,
    observeNsPerRequest: observeNs / observations,
    samples: body.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length,
    bodyKiB: Buffer.byteLength(body) / 1024,
    scrapes,
    medianMs: times[Math.floor(times.length / 2)],
    maxMs: times[times.length - 1],
  };
}
