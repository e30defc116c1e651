/**
 * The one contract every AccessStore backend passes (memory, SQLite, PostgreSQL): keys and
 * tenants round-trip with their settings, updateKey changes only the fields it names (edit,
 * rotation, revocation) and only on a key that is not revoked, revocation is recorded once,
 * and a fresh store is empty. Backend test files call
 * runAccessStoreContract with a factory giving a fresh, empty store.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AccessStore, StoredKey } from './access-store.js';

const key = (id: string, hash: string, extra: Partial<StoredKey> = {}): StoredKey => ({
  id, name: `n-${id}`, tenant: 'acme', hash, hint: 'tg-abcd…', createdAt: 1_700_000_000_000, revokedAt: null,
  settings: { models: ['openai/gpt-4o-mini'], rateLimits: { perMinute: 5 }, budget: { tier: 'low' }, labels: { team: 'a' } },
  ...extra,
});

export function runAccessStoreContract(name: string, open: () => Promise<AccessStore>): void {
  describe(`AccessStore contract: ${name}`, () => {
    test('a fresh store is empty; keys and tenants round-trip with their settings', async () => {
      const s = await open();
      try {
        assert.deepEqual(await s.load(), { keys: [], tenants: [] });
        await s.putKey(key('k1', 'a'.repeat(64)));
        await s.putKey(key('k2', 'b'.repeat(64), { createdAt: 1_700_000_000_001, settings: {} }));
        await s.putTenant({ name: 'acme', settings: { budget: { daily: 5 } }, updatedAt: 1 });
        const loaded = await s.load();
        assert.deepEqual(loaded.keys, [key('k1', 'a'.repeat(64)), key('k2', 'b'.repeat(64), { createdAt: 1_700_000_000_001, settings: {} })]);
        assert.deepEqual(loaded.tenants, [{ name: 'acme', settings: { budget: { daily: 5 } }, updatedAt: 1 }]);
      } finally {
        await s.close();
      }
    });

    test('a tenant write with ifUpdatedAt is a compare-and-set on the version read', async () => {
      const s = await open();
      try {
        await s.putTenant({ name: 'acme', settings: { models: ['a'] }, updatedAt: 10 });
        assert.equal(await s.putTenant({ name: 'acme', settings: { models: ['b'] }, updatedAt: 11 }, 10), true);
        // A writer that read version 10 lost the race to the one above: nothing changes.
        assert.equal(await s.putTenant({ name: 'acme', settings: { models: ['c'] }, updatedAt: 12 }, 10), false);
        assert.equal(await s.putTenant({ name: 'ghost', settings: {}, updatedAt: 12 }, 10), false);
        assert.deepEqual((await s.load()).tenants, [{ name: 'acme', settings: { models: ['b'] }, updatedAt: 11 }]);
      } finally {
        await s.close();
      }
    });

    test('rotation replaces the digest of the same id; tenants are replaced by name', async () => {
      const s = await open();
      try {
        await s.putKey(key('k1', 'a'.repeat(64)));
        assert.equal(await s.updateKey('k1', { hash: 'c'.repeat(64), hint: 'tg-wxyz…' }), true);
        await s.putTenant({ name: 'acme', settings: {}, updatedAt: 1 });
        await s.putTenant({ name: 'acme', settings: { models: ['smart'] }, updatedAt: 2 });
        const loaded = await s.load();
        assert.equal(loaded.keys.length, 1);
        assert.equal(loaded.keys[0].hash, 'c'.repeat(64));
        assert.equal(loaded.keys[0].hint, 'tg-wxyz…');
        assert.deepEqual(loaded.keys[0].settings, key('k1', '').settings, 'a rotation keeps the settings');
        assert.deepEqual(loaded.tenants, [{ name: 'acme', settings: { models: ['smart'] }, updatedAt: 2 }]);
      } finally {
        await s.close();
      }
    });

    test('an edit changes name and settings only; digest, tenant and creation time stay', async () => {
      const s = await open();
      try {
        await s.putKey(key('k1', 'a'.repeat(64)));
        await s.putKey(key('k2', 'b'.repeat(64), { createdAt: 1_700_000_000_001 }));
        const settings = { rateLimits: { perMinute: 1 }, budget: { daily: 0.5, perRequest: 0.01 }, labels: { team: 'b' } };
        assert.equal(await s.updateKey('k1', { name: 'renamed', settings }), true);
        assert.equal(await s.updateKey('nope', { name: 'x' }), false, 'unknown id');
        const [k1, k2] = (await s.load()).keys;
        assert.deepEqual(k1, key('k1', 'a'.repeat(64), { name: 'renamed', settings }));
        assert.deepEqual(k2, key('k2', 'b'.repeat(64), { createdAt: 1_700_000_000_001 }), 'other keys untouched');
        assert.equal(await s.updateKey('k1', {}), true, 'an empty change reports whether the key is active');
      } finally {
        await s.close();
      }
    });

    test('revocation is recorded once and keeps the row; a revoked key is never changed again', async () => {
      const s = await open();
      try {
        await s.putKey(key('k1', 'a'.repeat(64)));
        assert.equal(await s.updateKey('k1', { revokedAt: 42 }), true);
        assert.equal(await s.updateKey('k1', { revokedAt: 43 }), false, 'already revoked');
        assert.equal(await s.updateKey('nope', { revokedAt: 43 }), false);
        assert.equal(await s.updateKey('k1', { hash: 'c'.repeat(64), settings: {} }), false, 'no edit or rotation after revocation');
        assert.equal(await s.updateKey('k1', {}), false);
        const [row] = (await s.load()).keys;
        assert.deepEqual(row, key('k1', 'a'.repeat(64), { revokedAt: 42 }));
      } finally {
        await s.close();
      }
    });
  });
}
