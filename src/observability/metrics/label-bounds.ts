/**
 * Turns the raw facts of a finished request into bounded Prometheus label values, so the
 * number of series never depends on what clients send: tenants only when configured, models
 * only when the config or the price catalogue knows them, operations only for the first
 * `maxOperations` names seen, everything else `other`. User, key and request id are never
 * labels. Decisions are memoised in capped maps so the per-request cost is a map lookup.
 *
 * It deliberately knows nothing of prom-client; the metrics module asks it for strings.
 */
import type { RuntimeConfig } from '../../config/compile.js';
import { configuredTenants } from '../configured-tenants.js';

export const OTHER = 'other';
export const NONE = 'none';
const MEMO_CAP = 4096;

function configModels(config: RuntimeConfig): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (provider: string, model: string): void => {
    let set = out.get(provider);
    if (!set) out.set(provider, (set = new Set()));
    set.add(model);
  };
  for (const p of config.providers.values()) for (const m of p.settings.models ?? p.adapter.defaultModels) add(p.name, m);
  for (const r of config.routes.values()) for (const t of r.targets) add(t.provider.name, t.model);
  return out;
}

export class LabelBounds {
  private readonly tenants: ReadonlySet<string>;
  private readonly models: Map<string, Set<string>>;
  private readonly modelMemo = new Map<string, Map<string, string>>();
  private memoSize = 0;
  private readonly operations = new Set<string>();

  constructor(private readonly config: RuntimeConfig, private readonly maxOperations: number) {
    this.tenants = configuredTenants(config);
    this.models = configModels(config);
  }

  provider(name: string | null): string {
    if (name === null) return NONE;
    return this.config.providers.has(name) ? name : OTHER;
  }

  /** An HTTP status as a label key: 100–599, else 0 (shown as `error`: no HTTP answer). */
  status(code: number): number {
    return Number.isInteger(code) && code >= 100 && code <= 599 ? code : 0;
  }

  tenant(name: string | null): string {
    if (name === null) return NONE;
    return this.tenants.has(name) ? name : OTHER;
  }

  operation(name: string | null): string {
    if (name === null) return NONE;
    if (this.operations.has(name)) return name;
    if (this.operations.size >= this.maxOperations) return OTHER;
    this.operations.add(name);
    return name;
  }

  /** `provider` is the raw provider name; a model of an unknown provider is `other`. */
  model(provider: string | null, model: string | null): string {
    if (model === null) return NONE;
    if (provider === null || !this.config.providers.has(provider)) return OTHER;
    let memo = this.modelMemo.get(provider);
    const hit = memo?.get(model);
    if (hit !== undefined) return hit;
    const label = this.known(provider, model) ? model : OTHER;
    if (this.memoSize < MEMO_CAP) {
      if (!memo) this.modelMemo.set(provider, (memo = new Map()));
      memo.set(model, label);
      this.memoSize++;
    }
    return label;
  }

  private known(provider: string, model: string): boolean {
    if (this.models.get(provider)?.has(model)) return true;
    const p = this.config.providers.get(provider);
    if (!p) return false;
    // A priced model is a real model name (the catalogue is finite), so it may be a label.
    return this.config.priceCatalogue.priceFor(p.settings.type, model, Date.now(), p.name) !== undefined;
  }
}
