/**
 * What the admin API and `tollgate keys` do to keys and tenants, independent of HTTP: create
 * (the secret is returned once and never stored), edit (name, models, limits, budget, labels;
 * never the secret, the id or the tenant), rotate (new secret, same id, old one stops working
 * at once), revoke, list (never a hash or secret), and upsert or edit tenants. Each change is
 * written to the AccessStore and then the local registry is reloaded immediately; other
 * replicas pick it up on their next refresh.
 *
 * An edit touches only the fields it names: the store changes those columns alone, so a
 * rotation made meanwhile on another replica is not undone.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { GatewayError } from '../errors/gateway-error.js';
import type { AccessSettings, AccessStore, StoredKey } from './access-store.js';
import { hashKey, keyHint, mintKey } from './api-key.js';
import type { GuardPolicy, KeyRecord } from './guard-policy.js';
import { budgetSchema, limitsSchema } from './guards-config.js';
import type { KeyRegistry } from './key-registry.js';

const NAME = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/);
const accessShape = { models: z.array(z.string().min(1)).max(1_000).optional(), rateLimits: limitsSchema.optional(), budget: budgetSchema.optional() };

export const createKeyInput = z.object({ name: NAME, tenant: NAME, labels: z.record(z.string(), z.string()).optional(), ...accessShape }).strict();
export const tenantInput = z.object(accessShape).strict();

/** An edit: each field replaces the stored one, `null` removes it (no limit, all models…). */
const patchShape = {
  models: accessShape.models.unwrap().nullable().optional(),
  rateLimits: limitsSchema.nullable().optional(),
  budget: budgetSchema.nullable().optional(),
};
const notEmpty = (o: object): boolean => Object.keys(o).length > 0;
export const updateKeyInput = z.object({ name: NAME.optional(), labels: z.record(z.string(), z.string()).nullable().optional(), ...patchShape }).strict()
  .refine(notEmpty, 'nothing to change: name, models, rateLimits, budget or labels');
export const updateTenantInput = z.object(patchShape).strict().refine(notEmpty, 'nothing to change: models, rateLimits or budget');

type Patch = { models?: unknown; rateLimits?: unknown; budget?: unknown; labels?: unknown };

/** Settings with a patch applied: named fields replaced, null ones removed, others kept. */
function patched<T extends object>(settings: T, patch: Patch): T {
  const out = { ...settings } as Record<string, unknown>;
  for (const field of ['models', 'rateLimits', 'budget', 'labels'] as const) {
    const v = patch[field];
    if (v === null) delete out[field];
    else if (v !== undefined) out[field] = v;
  }
  return out as T;
}

/** Compare-and-set rounds of a tenant edit before it gives up with edit_conflict. */
const TENANT_EDIT_ATTEMPTS = 5;

export interface KeyView {
  id: string;
  name: string;
  tenant: string;
  hint: string;
  source: 'config' | 'admin';
  createdAt: number | null;
  revokedAt: number | null;
  settings: Record<string, unknown>;
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) {
    const issue = r.error.issues[0];
    // An unknown field is named by its own path, so the client sees which one was refused.
    const path = [...issue.path, ...(issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [])].join('.');
    throw new GatewayError('invalid_request', { param: path || undefined, detail: `${path || 'body'}: ${issue.message}` });
  }
  return r.data;
}

function checkTier(policy: GuardPolicy, budget: { tier?: string } | undefined): void {
  if (budget?.tier !== undefined && !policy.tiers.has(budget.tier)) throw new GatewayError('invalid_request', { param: 'budget.tier', detail: `unknown budget tier "${budget.tier}"` });
}

const revokedError = (what: string): GatewayError => new GatewayError('invalid_request', { detail: `A revoked key cannot be ${what}.` });

export class AdminKeys {
  constructor(private readonly store: AccessStore, private readonly registry: KeyRegistry) {}

  private async reload(): Promise<void> {
    this.registry.replace(await this.store.load());
  }

  list(policy: GuardPolicy, tenant?: string): KeyView[] {
    const fromConfig = policy.configKeys.map((k: KeyRecord): KeyView => ({
      id: k.id, name: k.name, tenant: k.tenant, hint: k.hint, source: 'config', createdAt: null, revokedAt: null, settings: {},
    }));
    const fromAdmin = this.registry.adminKeys.map((k) => this.view(k));
    const all = [...fromConfig, ...fromAdmin];
    return tenant === undefined ? all : all.filter((k) => k.tenant === tenant);
  }

  async create(policy: GuardPolicy, body: unknown): Promise<KeyView & { key: string }> {
    const input = parse(createKeyInput, body);
    checkTier(policy, input.budget as { tier?: string } | undefined);
    const key = mintKey();
    const { name, tenant, ...settings } = input;
    const stored: StoredKey = { id: `key_${randomBytes(9).toString('base64url')}`, name, tenant, hash: hashKey(key).toString('hex'), hint: keyHint(key), settings, createdAt: Date.now(), revokedAt: null };
    await this.store.putKey(stored);
    await this.reload();
    return { key, ...this.view(stored) };
  }

  private find(id: string): StoredKey {
    const k = this.registry.adminKeys.find((x) => x.id === id);
    if (!k) throw new GatewayError('route_not_found', { detail: `No API key with id "${id.slice(0, 64)}" was created through the admin API (config keys change in the config).` });
    return k;
  }

  private view(k: StoredKey): KeyView {
    return { id: k.id, name: k.name, tenant: k.tenant, hint: k.hint, source: 'admin', createdAt: k.createdAt, revokedAt: k.revokedAt, settings: { ...k.settings } };
  }

  /** Edits a key; the answer is its listing entry (never the secret). */
  async update(policy: GuardPolicy, id: string, body: unknown): Promise<KeyView> {
    const input = parse(updateKeyInput, body);
    checkTier(policy, (input.budget ?? undefined) as { tier?: string } | undefined);
    await this.reload(); // patch the current row, not a copy up to one refresh old
    const k = this.find(id);
    const { name, ...patch } = input;
    const settings: AccessSettings = patched(k.settings, patch);
    if (!(await this.store.updateKey(id, { name, settings }))) throw revokedError('edited');
    await this.reload();
    return this.view(this.find(id));
  }

  async rotate(id: string): Promise<{ id: string; key: string; hint: string }> {
    this.find(id);
    const key = mintKey();
    if (!(await this.store.updateKey(id, { hash: hashKey(key).toString('hex'), hint: keyHint(key) }))) throw revokedError('rotated');
    await this.reload();
    return { id, key, hint: keyHint(key) };
  }

  async revoke(id: string): Promise<{ id: string; revoked: boolean }> {
    this.find(id);
    const revoked = await this.store.updateKey(id, { revokedAt: Date.now() });
    await this.reload();
    return { id, revoked };
  }

  async putTenant(policy: GuardPolicy, name: string, body: unknown): Promise<{ name: string }> {
    parse(NAME, name);
    if (policy.tenants.has(name)) throw new GatewayError('invalid_request', { detail: `Tenant "${name}" is declared in the config; change it there.` });
    const settings = parse(tenantInput, body);
    checkTier(policy, settings.budget as { tier?: string } | undefined);
    await this.store.putTenant({ name, settings, updatedAt: Date.now() });
    await this.reload();
    return { name };
  }

  /** Edits an admin-created tenant field by field (PUT replaces it whole). */
  async updateTenant(policy: GuardPolicy, name: string, body: unknown): Promise<{ name: string; settings: Record<string, unknown> }> {
    if (policy.tenants.has(name)) throw new GatewayError('invalid_request', { detail: `Tenant "${name.slice(0, 64)}" is declared in the config; change it there.` });
    const patch = parse(updateTenantInput, body);
    checkTier(policy, (patch.budget ?? undefined) as { tier?: string } | undefined);
    // Read, patch, compare-and-set: an edit made meanwhile on another replica makes the write
    // miss, and the patch is applied again on top of it instead of overwriting it.
    for (let attempt = 0; attempt < TENANT_EDIT_ATTEMPTS; attempt++) {
      await this.reload();
      const t = this.registry.adminTenants.find((x) => x.name === name);
      if (!t) throw new GatewayError('route_not_found', { detail: `No tenant "${name.slice(0, 64)}" was created through the admin API (create it with PUT).` });
      const settings = patched(t.settings, patch);
      // Strictly later than the version read, even within one millisecond.
      if (await this.store.putTenant({ name, settings, updatedAt: Math.max(Date.now(), t.updatedAt + 1) }, t.updatedAt)) {
        await this.reload();
        return { name, settings: { ...settings } };
      }
    }
    throw new GatewayError('edit_conflict', { detail: `Tenant "${name.slice(0, 64)}" kept changing while it was edited.` });
  }
}
