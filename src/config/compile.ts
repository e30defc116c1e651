/**
 * Compiles a validated Config into the frozen runtime form the request path reads: providers
 * resolved to their adapters, route aliases to concrete targets, the /v1/models list and byte
 * limits precomputed. Compilation is pure and runs once per (re)load; nothing on the hot path
 * re-reads the config document.
 */
import type { BaseProviderSettings, ProviderAdapter } from '../providers/types.js';
import { adapterFor } from '../providers/registry.js';
import { compilePayloadPolicy, type PayloadPolicy } from '../privacy/payload-policy.js';
import { compileAlerts, type AlertsRuntime } from '../alerts/alert-config.js';
import type { Config } from './schema.js';
import type { Pricer } from '../metering/pricer.js';
import type { BreakerConfig } from '../resilience/breaker-state.js';
import { breakerConfigFromConfig, retryPolicyFromConfig } from '../resilience/resilience-config.js';
import type { RetryPolicy } from '../resilience/retry-policy.js';
import type { TargetCondition } from '../resilience/target-condition.js';
import { createCataloguePricer } from '../metering/pricing/catalogue-pricer.js';
import { loadPriceCatalogue, type PriceCatalogue } from '../metering/pricing/price-catalogue.js';
import { compileCacheConfig, type RuntimeCacheConfig } from '../cache/cache-config.js';
import { compileGuardPolicy, type GuardPolicy } from '../guards/guard-policy.js';
import { compileAddressPolicy, type AddressPolicy } from '../security/address-policy.js';

export interface RuntimeProvider {
  readonly name: string;
  readonly adapter: ProviderAdapter<BaseProviderSettings>;
  readonly settings: Readonly<BaseProviderSettings>;
}

export interface RuntimeTarget {
  /** `provider/model`: the key for breakers, latency and error tracking. */
  readonly id: string;
  readonly providerTrusted: boolean;
  readonly when: TargetCondition | undefined;
  readonly provider: RuntimeProvider;
  readonly model: string;
  readonly weight: number;
  readonly params: Readonly<Record<string, unknown>> | undefined;
}

export interface RuntimeRoute {
  readonly alias: string;
  readonly strategy: 'fallback' | 'weighted' | 'latency';
  readonly targets: readonly RuntimeTarget[];
}

export interface RuntimeConfig {
  readonly source: Readonly<Config>;
  readonly generation: number;
  readonly server: Config['server'];
  readonly bodyLimitBytes: number;
  readonly authMode: 'managed' | 'passthrough';
  readonly providers: ReadonlyMap<string, RuntimeProvider>;
  readonly routes: ReadonlyMap<string, RuntimeRoute>;
  readonly modelIds: readonly string[];
  readonly timeouts: Config['resilience']['timeouts'];
  readonly logging: Config['logging'];
  /** The price catalogue with this config's overrides applied. */
  readonly pricer: Pricer;
  /** The same catalogue, for questions that are not a cost (is this model priced?): metric label bounds. */
  readonly priceCatalogue: PriceCatalogue;
  readonly retryPolicy: RetryPolicy;
  readonly breaker: BreakerConfig;
  readonly retryBudgetRatio: number;
  /** The response cache's settings and per-operation policies. */
  readonly cache: RuntimeCacheConfig;
  /** Keys, tenants, rate-limit classes and budgets (src/guards/). */
  readonly guards: GuardPolicy;
  readonly alerts: AlertsRuntime;
  /** Whose prompts and completions are logged (masked): privacy/payload-policy.ts. */
  readonly payloads: PayloadPolicy;
  /** Which addresses upstream connections may reach (src/security/address-policy.ts). */
  readonly addressPolicy: AddressPolicy;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

function compileProviders(cfg: Config): Map<string, RuntimeProvider> {
  const out = new Map<string, RuntimeProvider>();
  for (const [name, settings] of Object.entries(cfg.providers)) {
    const adapter = adapterFor(settings.type);
    // The schema only admits registered types; this guards a registry/schema mismatch.
    if (!adapter) throw new Error(`providers.${name}.type: no adapter registered for "${settings.type}"`);
    out.set(name, Object.freeze({ name, adapter, settings: settings as BaseProviderSettings }));
  }
  return out;
}

function compileRoutes(cfg: Config, providers: Map<string, RuntimeProvider>): Map<string, RuntimeRoute> {
  const out = new Map<string, RuntimeRoute>();
  for (const [alias, r] of Object.entries(cfg.routes)) {
    const targets = r.targets.map((t): RuntimeTarget => {
      const provider = providers.get(t.provider);
      if (!provider) throw new Error(`routes.${alias}: unknown provider "${t.provider}"`);
      return Object.freeze({
        id: `${provider.name}/${t.model}`,
        providerTrusted: provider.settings.trusted === true,
        when: t.when,
        provider,
        model: t.model,
        weight: t.weight ?? 1,
        params: t.params,
      });
    });
    out.set(alias, Object.freeze({ alias, strategy: r.strategy, targets: Object.freeze(targets) }));
  }
  return out;
}

function modelIds(providers: Map<string, RuntimeProvider>, routes: Map<string, RuntimeRoute>): string[] {
  const ids = new Set<string>();
  for (const p of providers.values()) {
    const models = p.settings.models ?? p.adapter.defaultModels;
    for (const m of models) ids.add(`${p.name}/${m}`);
  }
  for (const alias of routes.keys()) ids.add(alias);
  return [...ids];
}

let generations = 0;

/** Requests priced at "unknown" since start, by `type/model`; read by metrics. */
export const unknownPriceCounts = new Map<string, number>();

function onUnknownPrice(type: string, model: string): void {
  const key = `${type}/${model}`;
  if (unknownPriceCounts.size < 10_000 || unknownPriceCounts.has(key)) unknownPriceCounts.set(key, (unknownPriceCounts.get(key) ?? 0) + 1);
}

export function compileConfig(cfg: Config): RuntimeConfig {
  const source = deepFreeze(cfg);
  const providers = compileProviders(source);
  const routes = compileRoutes(source, providers);
  const priceCatalogue = loadPriceCatalogue(source.pricing);
  return Object.freeze({
    source,
    generation: ++generations,
    server: source.server,
    bodyLimitBytes: Math.floor(source.server.bodyLimitMb * 1024 * 1024),
    authMode: source.auth.mode,
    providers,
    routes,
    modelIds: Object.freeze(modelIds(providers, routes)),
    timeouts: source.resilience.timeouts,
    logging: source.logging,
    retryPolicy: Object.freeze(retryPolicyFromConfig(source.resilience)),
    breaker: breakerConfigFromConfig(source.resilience),
    retryBudgetRatio: source.resilience.retryBudgetRatio,
    cache: compileCacheConfig(source.cache, source.operations),
    guards: compileGuardPolicy(source),
    pricer: Object.freeze(createCataloguePricer(priceCatalogue, { onUnknownPrice })),
    priceCatalogue,
    alerts: compileAlerts(source.alerts),
    payloads: compilePayloadPolicy(source.logging.payloads, source.tenants),
    addressPolicy: compileAddressPolicy(source.security),
  });
}
