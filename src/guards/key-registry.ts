/**
 * The in-memory view of every valid key and tenant the request path consults: config keys and
 * tenants (from the current config generation) merged with those created through the admin
 * API. Lookup hashes the presented key once and finds its record by digest, then confirms it
 * with a constant-time comparison; there is never a database query per request. The admin part
 * is refreshed from the AccessStore periodically (other replicas' changes) and immediately
 * after local admin changes.
 *
 * Config entries win over admin entries of the same tenant name. This module does not count
 * requests or money.
 */
import type { AccessSnapshot, StoredKey, StoredTenant } from './access-store.js';
import { hashKeyHex, sameHexDigest } from './api-key.js';
import { accessRules, type AccessRules, type GuardPolicy, type KeyRecord } from './guard-policy.js';

interface Index {
  readonly policy: GuardPolicy;
  readonly version: number;
  /** Hex digest → record (whose `hash` is confirmed in constant time after the lookup). */
  readonly keys: ReadonlyMap<string, KeyRecord>;
  readonly tenants: ReadonlyMap<string, AccessRules>;
}

export class KeyRegistry {
  private snapshot: AccessSnapshot = { keys: [], tenants: [] };
  private version = 0;
  private index: Index | undefined;
  /** False until the store was read once (reported by health; `auth.requireKey` fails closed). */
  private isLoaded = false;

  /** Replaces the admin-created part (after a store load or a local change). */
  replace(snapshot: AccessSnapshot): void {
    this.snapshot = snapshot;
    this.isLoaded = true;
    this.version++;
  }

  get adminKeys(): readonly StoredKey[] {
    return this.snapshot.keys;
  }

  get adminTenants(): readonly StoredTenant[] {
    return this.snapshot.tenants;
  }

  /** Whether requests must present a key: config keys/tenants, or any admin-created key. */
  active(policy: GuardPolicy): boolean {
    return policy.configured || this.snapshot.keys.length > 0 || this.snapshot.tenants.length > 0;
  }

  get loaded(): boolean {
    return this.isLoaded;
  }

  /** The valid (not revoked) key for a presented secret, or undefined. */
  lookup(policy: GuardPolicy, presented: string): KeyRecord | undefined {
    const hex = hashKeyHex(presented.trim());
    const found = this.indexFor(policy).keys.get(hex);
    return found && sameHexDigest(found.hash, hex) ? found : undefined;
  }

  tenant(policy: GuardPolicy, name: string | null): AccessRules | undefined {
    return name === null ? undefined : this.indexFor(policy).tenants.get(name);
  }

  /** Every valid key record (config and admin), for budget listings. */
  records(policy: GuardPolicy): KeyRecord[] {
    return [...this.indexFor(policy).keys.values()];
  }

  tenants(policy: GuardPolicy): ReadonlyMap<string, AccessRules> {
    return this.indexFor(policy).tenants;
  }

  private indexFor(policy: GuardPolicy): Index {
    const cur = this.index;
    if (cur && cur.policy === policy && cur.version === this.version) return cur;
    const records: KeyRecord[] = [];
    for (const k of this.snapshot.keys) {
      if (k.revokedAt !== null) continue;
      records.push(Object.freeze({
        ...accessRules('key', k.settings, policy.tiers),
        id: k.id,
        name: k.name,
        tenant: k.tenant,
        hash: k.hash,
        hint: k.hint,
        labels: Object.freeze({ ...k.settings.labels }),
        source: 'admin' as const,
        createdAt: k.createdAt,
      }));
    }
    records.push(...policy.configKeys); // config entries win
    const keys = new Map<string, KeyRecord>();
    for (const record of records) keys.set(record.hash, record);
    const tenants = new Map<string, AccessRules>();
    for (const t of this.snapshot.tenants) tenants.set(t.name, accessRules('tenant', t.settings, policy.tiers));
    for (const [name, rules] of policy.tenants) tenants.set(name, rules);
    this.index = { policy, version: this.version, keys, tenants };
    return this.index;
  }
}
