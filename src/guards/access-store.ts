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

export interface AccessStore {
  load(): Promise<AccessSnapshot>;
  /** Inserts or replaces a key row (rotation replaces the hash of the same id). */
  putKey(key: StoredKey): Promise<void>;
  revokeKey(id: string, at: number): Promise<boolean>;
  putTenant(tenant: StoredTenant): Promise<void>;
  close(): Promise<void>;
}

export class MemoryAccessStore implements AccessStore {
  private readonly keys = new Map<string, StoredKey>();
  private readonly tenants = new Map<string, StoredTenant>();

  async load(): Promise<AccessSnapshot> {
    return { keys: [...this.keys.values()], tenants: [...this.tenants.values()] };
  }

  async putKey(key: StoredKey): Promise<void> {
    this.keys.set(key.id, key);
  }

  async revokeKey(id: string, at: number): Promise<boolean> {
    const k = this.keys.get(id);
    if (!k || k.revokedAt !== null) return false;
    this.keys.set(id, { ...k, revokedAt: at });
    return true;
  }

  async putTenant(tenant: StoredTenant): Promise<void> {
    this.tenants.set(tenant.name, tenant);
  }

  async close(): Promise<void> {}
}
