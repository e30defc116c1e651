/**
 * The cache store interface every backend implements (memory, SQLite, Redis), kept to four
 * methods plus an optional synchronous probe. Values are opaque to stores; keys are the
 * cache's (`<scope tag>:<hash>`), and `flush(prefix)` removes every key starting with a prefix
 * (one tenant's tag) or all of them.
 *
 * Stores may throw (unreachable, full disk): the layered cache turns every failure into a
 * miss, so a store never needs its own fallback. Expiry: `set` takes a TTL; a store must not
 * return a value after it expired (within the store's clock), but may keep it around longer.
 */
export interface CacheStore<V = string> {
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V, ttlMs: number): Promise<void>;
  /** Removes keys starting with `prefix` (all keys when undefined); returns how many, if known. */
  flush(prefix?: string): Promise<number>;
  close(): Promise<void>;
  /**
   * False only when the store certainly lacks `key`, answered without I/O, so a miss needs no
   * `get` (and no promise). A store without a cheap answer leaves it out.
   */
  mightHave?(key: string): boolean;
}
