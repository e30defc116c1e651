import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema } from '../config/schema.js';
import { MemoryAccessStore, type StoredTenant } from './access-store.js';
import { AdminKeys } from './admin-keys.js';
import { compileGuardPolicy } from './guard-policy.js';
import { KeyRegistry } from './key-registry.js';

const policy = compileGuardPolicy(configSchema.parse({}));

/** A store where another replica edits the tenant between this replica's read and its write. */
class RacingStore extends MemoryAccessStore {
  races = 0;
  constructor(private readonly racesLeft: number) {
    super();
  }

  override async putTenant(tenant: StoredTenant, ifUpdatedAt?: number): Promise<boolean> {
    if (ifUpdatedAt !== undefined && this.races < this.racesLeft) {
      this.races++;
      const current = (await this.load()).tenants.find((t) => t.name === tenant.name)!;
      await super.putTenant({ ...current, settings: { ...current.settings, budget: { daily: 7 + this.races } }, updatedAt: current.updatedAt + 1 });
    }
    return super.putTenant(tenant, ifUpdatedAt);
  }
}

test('a tenant edit that races another replica is applied on top of it, not over it', async () => {
  const store = new RacingStore(1);
  const admin = new AdminKeys(store, new KeyRegistry());
  await admin.putTenant(policy, 'acme', { models: ['a'] });
  const out = await admin.updateTenant(policy, 'acme', { models: ['b'] });
  assert.equal(store.races, 1);
  const stored = (await store.load()).tenants[0];
  assert.deepEqual(stored.settings, { models: ['b'], budget: { daily: 8 } }, 'both edits survive');
  assert.deepEqual(out.settings, stored.settings);
});

test('an edit that keeps losing the race gives up with edit_conflict and changes nothing of its own', async () => {
  const store = new RacingStore(100);
  const admin = new AdminKeys(store, new KeyRegistry());
  await admin.putTenant(policy, 'acme', { models: ['a'] });
  await assert.rejects(admin.updateTenant(policy, 'acme', { models: ['b'] }), (err: { code?: string; status?: number }) => err.code === 'edit_conflict' && err.status === 409);
  assert.deepEqual((await store.load()).tenants[0].settings.models, ['a']);
});

test('a key verified once is still refused the moment it is rotated or revoked (S3)', async () => {
  const registry = new KeyRegistry();
  const admin = new AdminKeys(new MemoryAccessStore(), registry);
  const created = await admin.create(policy, { name: 'svc', tenant: 'acme' });
  for (let i = 0; i < 3; i++) assert.equal(registry.lookup(policy, created.key)?.id, created.id, `lookup ${i}`);
  assert.equal(registry.lookup(policy, `${created.key.slice(0, -1)}x`), undefined, 'one character off');
  assert.equal(registry.lookup(policy, `${created.key} `)?.id, created.id, 'blanks around a key are not part of it');
  const rotated = await admin.rotate(created.id);
  assert.equal(registry.lookup(policy, created.key), undefined, 'the old secret is gone after rotation');
  assert.equal(registry.lookup(policy, rotated.key)?.id, created.id);
  await admin.revoke(created.id);
  assert.equal(registry.lookup(policy, rotated.key), undefined, 'revoked');
});
