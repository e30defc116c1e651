import { describe } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCacheStoreContract } from './cache-store.contract.js';
import { SqliteCacheStore } from './sqlite-cache-store.js';

describe('SqliteCacheStore (contract)', () => {
  runCacheStoreContract(async () => {
    let now = 1_000_000;
    const store = new SqliteCacheStore(join(mkdtempSync(join(tmpdir(), 'tollgate-cache-')), 'cache.db'), () => now);
    return { store, advance: async (ms) => { now += ms; } };
  });
});
