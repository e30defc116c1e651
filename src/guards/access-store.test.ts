import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryAccessStore } from './access-store.js';
import { runAccessStoreContract } from './access-store.contract.js';
import { PostgresAccessStore, SqliteAccessStore } from './sql-access-store.js';
import { openAccessStore } from './open-access-store.js';
import { TestSchemas, testDatabaseUrl } from '../stores/events/postgres-test-database.js';

const dir = mkdtempSync(join(tmpdir(), 'tollgate-access-'));
const schemas = new TestSchemas();
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await schemas.dropAll();
});
let n = 0;

runAccessStoreContract('memory', async () => new MemoryAccessStore());
runAccessStoreContract('sqlite', async () => new SqliteAccessStore(join(dir, `a${n++}.db`)));
runAccessStoreContract('postgres', async () => new PostgresAccessStore(testDatabaseUrl(), schemas.next()));
runAccessStoreContract('openAccessStore(sqlite://…)', async () => openAccessStore(`sqlite://${join(dir, `b${n++}.db`)}`));
runAccessStoreContract('openAccessStore(none://)', async () => openAccessStore('none://'));
