import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { TestSchemas, testDatabaseUrl } from '../stores/events/postgres-test-database.js';
import { MemoryAlertHistory } from './alert-history-store.js';
import { runAlertHistoryContract } from './alert-history.contract.js';
import { PostgresAlertHistory, SqliteAlertHistory } from './sql-alert-history.js';

const dir = mkdtempSync(join(tmpdir(), 'tollgate-alert-history-'));
const schemas = new TestSchemas();
let n = 0;
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await schemas.dropAll();
});

runAlertHistoryContract('memory', async () => new MemoryAlertHistory());
runAlertHistoryContract('sqlite', async () => new SqliteAlertHistory(join(dir, `h${n++}.db`)));
runAlertHistoryContract('postgres', async () => new PostgresAlertHistory(testDatabaseUrl(), schemas.next()));
