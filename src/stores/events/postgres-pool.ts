/**
 * The PostgreSQL connection pool behind the log store, configured so that a dead or slow server
 * costs the caller a bounded wait instead of an open-ended one (F13/F14): a connect timeout
 * (which also bounds the wait for a free pooled connection), a server-side statement timeout,
 * and a client-side read timeout slightly longer than it, for a server that stopped answering
 * altogether. A connection that timed out is discarded by the pool, not reused.
 *
 * It also tells connectivity failures (worth spooling and retrying) from answers that mean the
 * configuration is wrong (bad password, missing database), which retrying will not fix.
 *
 * The driver loads on the first pool: a gateway on SQLite never pays its resident memory, in
 * the main thread or the log writer's worker (both reach this module through migrations.ts).
 */
import type pg from 'pg';
import { lazyRequire } from '../../runtime/lazy-require.js';
import { checkSchemaName } from './storage-url.js';

const loadPg = lazyRequire<typeof pg>('pg');

export interface PostgresStoreOptions {
  /** Schema holding the tables (created if missing); default `public`. */
  schema?: string;
  /** Most connections open at once; default 10. */
  poolSize?: number;
  /** Server-side limit per statement; default 5000 ms; 0 disables both statement limits. */
  statementTimeoutMs?: number;
  /** Limit on opening a connection or waiting for a pooled one; default 3000 ms. */
  connectTimeoutMs?: number;
}

export const DEFAULT_STATEMENT_TIMEOUT_MS = 5000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 3000;
// Gives the server's own cancel time to arrive first, which keeps the connection usable.
const READ_TIMEOUT_MARGIN_MS = 1000;

export function createPostgresPool(url: string, options: PostgresStoreOptions = {}): pg.Pool {
  checkSchemaName(options.schema ?? 'public');
  const statementTimeout = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const pool = new (loadPg().Pool)({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    statement_timeout: statementTimeout > 0 ? statementTimeout : false,
    query_timeout: statementTimeout > 0 ? statementTimeout + READ_TIMEOUT_MARGIN_MS : undefined,
    application_name: 'tollgate',
    // Idle connections must not keep a CLI process (tollgate migrate, logs) alive.
    allowExitOnIdle: true,
  });
  // An idle pooled connection that dies (server restart, network cut) emits 'error' on the pool;
  // unhandled, that would crash the process. The next query opens a fresh connection and reports
  // its own failure to the caller, which is where it is handled.
  pool.on('error', () => undefined);
  return pool;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;
// Class 08 connection exception, 53 insufficient resources, 57 operator intervention (shutdown, starting up).
const TRANSIENT_SQLSTATE = /^(08|53|57)/;

/** True unless the server answered with an error that retrying cannot fix. */
export function isConnectivityError(err: unknown): boolean {
  const code = err !== null && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && SQLSTATE.test(code)) return TRANSIENT_SQLSTATE.test(code);
  return true;
}
