/**
 * The shared cache layer across replicas: Redis through the gateway's one shared connection
 * (services.redis), keys under a configurable prefix (`tollgate:cache:` by default), expiry by
 * Redis itself (`SET … PX`). When the connection is not ready every call fails at once, which
 * the layered cache turns into a miss; nothing here waits for a reconnect.
 *
 * Flushing scans the prefix (never KEYS, never FLUSHDB: other data may share the database).
 */
import type { RedisConnection } from '../stores/redis/redis-connection.js';
import type { CacheStore } from './cache-store.js';

/** Escapes Redis glob characters so a prefix matches only itself. */
function globLiteral(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

export class RedisCacheStore implements CacheStore<string> {
  constructor(private readonly conn: RedisConnection, private readonly prefix: string) {}

  private ready(): void {
    if (!this.conn.ready) throw new Error('cache store unavailable: Redis is not connected');
  }

  async get(key: string): Promise<string | undefined> {
    this.ready();
    const v = await this.conn.client.get(this.prefix + key);
    return v ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.ready();
    await this.conn.client.set(this.prefix + key, value, 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async flush(prefix = ''): Promise<number> {
    this.ready();
    const match = `${globLiteral(this.prefix + prefix)}*`;
    let cursor = '0';
    let n = 0;
    do {
      const [next, keys] = await this.conn.client.scan(cursor, 'MATCH', match, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) n += await this.conn.client.unlink(...keys);
    } while (cursor !== '0');
    return n;
  }

  /** The connection is the gateway's, closed with the services. */
  async close(): Promise<void> {}
}
