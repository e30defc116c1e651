/**
 * Where keys and tenants created through the admin API (or `tollgate keys`) are kept: the
 * storage database (SQLite or PostgreSQL, tables `guard_keys` / `guard_tenants`), or memory
 * with `storage: none://` and in tests. Keys are stored as SHA-256 digests (hex), never as
 * the secret. Revoked keys keep their row (revoked_at set) so listings and audits see them.
 *
 * Config-declared keys and tenants are not stored here; the config is their source of truth.
 * The request path never reads this store: key-registry.ts holds an in-memory copy.
 */
import type { AccessInput } from './guard-policy.js';

export interface AccessSettings extends AccessInput {
  labels?: Record<string, string>;
}

export interface StoredKey {
  readonly id: string;
  readonly name: string;
  readonly tenant: string;
  /** SHA-256 of the key, hex. */
  readonly hash: string;
  readonly hint: string;
  readonly settings: AccessSettings;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

export interface StoredTenant {
  readonly name: string;
  readonly settings: AccessInput;
  readonly updatedAt: number;
}

export interface AccessSnapshot {
  keys: StoredKey[];
  tenants: StoredTenant[];
}

/**
 * What `updateKey` may change on a key: an edit (name, settings), a rotation (hash and hint)
 * or a revocation (revokedAt). Fields left out keep their stored value, so a rotation on one
 * replica and an edit on another never undo each other. The id, tenant and creation time
 * never change.
 */
export interface KeyChange {
  name?: string;
  settings?: AccessSettings;
  hash?: string;
  hint?: string;
  revokedAt?: number;
}

export interface AccessStore {
  load(): Promise<AccessSnapshot>;
  /** Inserts or replaces a whole key row (creation). */
  putKey(key: StoredKey): Promise<void>;
  /**
   * Changes the given fields of a key that exists and is not revoked; false otherwise (so a
   * key is revoked once, and a revoked key is never edited or rotated back to life).
   */
  updateKey(id: string, change: KeyChange): Promise<boolean>;
  /**
   * Inserts or replaces a tenant. With `ifUpdatedAt`, only replaces the row whose `updatedAt`
   * still equals it (compare-and-set, so two replicas editing one tenant cannot lose an edit)
   * and answers whether it did; without it, always writes and answers true.
   */
  putTenant(tenant: StoredTenant, ifUpdatedAt?: number): Promise<boolean>;
  close(): Promise<void>;
}

/** The fields of KeyChange, in a fixed order (the SQL stores build their SET list from it). */
export const KEY_CHANGE_FIELDS = ['name', 'settings', 'hash', 'hint', 'revokedAt'] as const satisfies ReadonlyArray<keyof KeyChange>;

export class MemoryAccessStore implements AccessStore {
  private readonly keys = new Map<string, StoredKey>();
  private readonly tenants = new Map<string, StoredTenant>();

  async load(): Promise<AccessSnapshot> {
    return { keys: [...this.keys.values()], tenants: [...this.tenants.values()] };
  }

  async putKey(key: StoredKey): Promise<void> {
    this.keys.set(key.id, key);
  }

  async updateKey(id: string, change: KeyChange): Promise<boolean> {
    const k = this.keys.get(id);
    if (!k || k.revokedAt !== null) return false;
    const next = { ...k };
    for (const field of KEY_CHANGE_FIELDS) if (change[field] !== undefined) (next as Record<string, unknown>)[field] = change[field];
    this.keys.set(id, next);
    return true;
  }

  async putTenant(tenant: StoredTenant, ifUpdatedAt?: number): Promise<boolean> {
    if (ifUpdatedAt !== undefined && this.tenants.get(tenant.name)?.updatedAt !== ifUpdatedAt) return false;
    this.tenants.set(tenant.name, tenant);
    return true;
  }


  async close(): Promise<void> {}
}
