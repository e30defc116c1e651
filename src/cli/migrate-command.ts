/**
 * `tollgate migrate [--config FILE]`: applies pending schema migrations of the request-log
 * store named by `storage` (SQLite or PostgreSQL) and prints what it applied. The gateway also
 * migrates on start; this command lets operators do it ahead of a rollout.
 */
import { loadConfig } from '../config/load.js';
import { migrateStorage } from '../stores/events/migrations.js';
import { parseFlags, UsageError } from './usage-error.js';
import { resolveConfigPath } from './config-path.js';

export async function runMigrate(args: string[]): Promise<number> {
  const { values } = parseFlags(args, { config: { type: 'string', short: 'c' } });
  const config = loadConfig(resolveConfigPath(values.config), process.env);
  if (config.source.storage.startsWith('none://')) throw new UsageError('storage is none://: there is nothing to migrate');
  const { applied } = await migrateStorage(config.source.storage);
  process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'up to date\n');
  return 0;
}
