/**
 * The tenant names the config declares, the only tenant values observability may use as a
 * label or group. Tenants come from the guards work (a `tenants` section); until that section
 * exists in the schema this reads it defensively and answers an empty set, so every tenant is
 * reported as `other`. It is the one place the integrator wires to the compiled tenant list.
 */
import type { RuntimeConfig } from '../config/compile.js';

const cache = new WeakMap<RuntimeConfig, ReadonlySet<string>>();

function namesOf(section: unknown): string[] {
  if (Array.isArray(section)) {
    return section.map((t) => (typeof t === 'string' ? t : (t as { name?: unknown })?.name)).filter((n): n is string => typeof n === 'string');
  }
  if (section && typeof section === 'object') return Object.keys(section);
  return [];
}

/** Computed once per compiled config (configs are frozen, so a WeakMap memo is safe). */
export function configuredTenants(config: RuntimeConfig): ReadonlySet<string> {
  let names = cache.get(config);
  if (!names) {
    names = new Set(namesOf((config.source as { tenants?: unknown }).tenants));
    cache.set(config, names);
  }
  return names;
}
