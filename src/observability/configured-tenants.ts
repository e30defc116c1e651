/**
 * The tenant names the config declares (`tenants:`), the only tenant values observability may
 * use as a label or group; any other tenant (one created through the admin API, or a spoofed
 * name) is reported as `other`, which keeps label cardinality bounded by the config file.
 */
import type { RuntimeConfig } from '../config/compile.js';

const cache = new WeakMap<RuntimeConfig, ReadonlySet<string>>();

/** Computed once per compiled config (configs are frozen, so a WeakMap memo is safe). */
export function configuredTenants(config: RuntimeConfig): ReadonlySet<string> {
  let names = cache.get(config);
  if (!names) {
    names = new Set(Object.keys(config.source.tenants));
    cache.set(config, names);
  }
  return names;
}
