/**
 * What the admin API and `tollgate keys` do to keys and tenants, independent of HTTP: create
 * (the secret is returned once and never stored), rotate (new secret, same id, old one stops
 * working at once), revoke, list (never a hash or secret), and upsert tenants. Each change is
 * written to the AccessStore and then the local registry is reloaded immediately; other
 * replicas pick it up on their next refresh.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { GatewayError } from '../errors/gateway-error.js';
import type { AccessStore, StoredKey } from './access-store.js';
import { hashKey, keyHint, mintKey } from './api-key.js';
import type { GuardPolicy, KeyRecord } from './guard-policy.js';
import { budgetSchema, limitsSchema } from './guards-config.js';
import type { KeyRegistry } from './key-registry.js';

const NAME = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/);
const accessShape = { models: z.array(z.string().min(1)).max(1_000).optional(), rateLimits: limitsSchema.optional(), budget: budgetSchema.optional() };

export const createKeyInput = z.object({ name: NAME, tenant: NAME, labels: z.record(z.string(), z.string()).optional(), ...accessShape }).strict();
export const tenantInput = z.object(accessShape).strict();

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
    throw new GatewayError('invalid_request', { param: issue.path.join('.') || undefined, detail: `${issue.path.join('.') || 'body'}: ${issue.message}` });
  }
  return r.data;
}

function checkTier(policy: GuardPolicy, budget: { tier?: string } | undefined): void {
  if (budget?.tier !== undefined && !policy.tiers.has(budget.tier)) throw new GatewayError('invalid_request', { param: 'budget.tier', detail: `unknown budget tier "${budget.tier}"` });
}

export class AdminKeys {
  constructor(private readonly store: AccessStore, private readonly registry: KeyRegistry) {}

  private async reload(): Promise<void> {
    this.registry.replace(await this.store.load());
  }

  list(policy: GuardPolicy, tenant?: string): KeyView[] {
    const fromConfig = policy.configKeys.map((k: KeyRecord): KeyView => ({
      id: k.id, name: k.name, tenant: k.tenant, hint: k.hint, source: 'config', createdAt: null, revokedAt: null, settings: {},
    }));
    const fromAdmin = this.registry.adminKeys.map((k): KeyView => ({
      id: k.id, name: k.name, tenant: k.tenant, hint: k.hint, source: 'admin', createdAt: k.createdAt, revokedAt: k.revokedAt, settings: { ...k.settings },
    }));
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
    return { key, id: stored.id, name, tenant, hint: stored.hint, source: 'admin', createdAt: stored.createdAt, revokedAt: null, settings: { ...settings } };
  }

  private find(id: string): StoredKey {
    const k = this.registry.adminKeys.find((x) => x.id === id);
    if (!k) throw new GatewayError('route_not_found', { detail: `No API key with id "${id.slice(0, 64)}" was created through the admin API (config keys change in the config).` });
    return k;
  }

  async rotate(id: string): Promise<{ id: string; key: string; hint: string }> {
    const k = this.find(id);
    if (k.revokedAt !== null) throw new GatewayError('invalid_request', { detail: 'A revoked key cannot be rotated.' });
    const key = mintKey();
    await this.store.putKey({ ...k, hash: hashKey(key).toString('hex'), hint: keyHint(key) });
    await this.reload();
    return { id, key, hint: keyHint(key) };
  }

  async revoke(id: string): Promise<{ id: string; revoked: boolean }> {
    this.find(id);
    const revoked = await this.store.revokeKey(id, Date.now());
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
}
