/**
 * The AccessStore for a `storage` URL: the same database as the request log (SQLite file or
 * PostgreSQL schema), or memory with `none://` (admin-created keys then live until restart).
 */
import type { Logger } from 'pino';
import { parseStorageUrl } from '../stores/events/storage-url.js';
import { MemoryAccessStore, type AccessStore } from './access-store.js';
import { PostgresAccessStore, SqliteAccessStore } from './sql-access-store.js';

export function openAccessStore(storageUrl: string, log?: Logger): AccessStore {
  if (storageUrl.startsWith('none://')) {
    log?.info('storage is none://: keys created through the admin API are kept in memory only');
    return new MemoryAccessStore();
  }
  const target = parseStorageUrl(storageUrl);
  return target.kind === 'sqlite' ? new SqliteAccessStore(target.path) : new PostgresAccessStore(target.url, target.schema);
}
