/**
 * In-process BreakerStore: breaker records in a Map, one per target key, local to this replica.
 * JavaScript runs each call to completion, so read-decide-write needs no lock here.
 *
 * Memory stays bounded two ways. A breaker back at the pristine closed state is deleted (the
 * default is implied), so healthy targets cost nothing; and at most `maxKeys` records are kept,
 * evicting the least recently touched. Eviction forgets a breaker, which at worst costs a few
 * extra failures before it re-opens — better than letting unbounded keys (a client inventing
 * model names) grow the heap.
 */
import { CLOSED, admit, afterFailure, afterSuccess, type BreakerConfig, type BreakerRecord } from './breaker-state.js';
import type { BreakerAdmission, BreakerChange, BreakerStore } from './breaker-store.js';
import { BoundedMap } from './bounded-map.js';

export class MemoryBreakerStore implements BreakerStore {
  private readonly records: BoundedMap<string, BreakerRecord>;

  constructor(maxKeys = 10_000) {
    this.records = new BoundedMap(maxKeys);
  }

  async admit(key: string, now: number, config: BreakerConfig): Promise<BreakerAdmission> {
    const before = this.get(key);
    const { admission, next } = admit(before, now, config);
    this.put(key, next);
    return { admission, before: before.state, record: next };
  }

  async recordSuccess(key: string): Promise<BreakerChange> {
    return this.apply(key, afterSuccess);
  }

  async recordFailure(key: string, now: number, config: BreakerConfig): Promise<BreakerChange> {
    return this.apply(key, (r) => afterFailure(r, now, config));
  }

  async read(key: string): Promise<BreakerRecord> {
    return this.get(key);
  }

  pristine(key: string): boolean {
    return !this.records.has(key);
  }

  /**
   * Adopts a record learned elsewhere (the shared store's last view, when Redis becomes
   * unreachable) unless this store already holds one for `key`.
   */
  seed(key: string, record: BreakerRecord): void {
    if (!this.records.has(key)) this.put(key, record);
  }

  /** Number of records held (pristine closed breakers are not held). */
  get size(): number {
    return this.records.size;
  }

  private apply(key: string, step: (r: BreakerRecord) => BreakerRecord): BreakerChange {
    const before = this.get(key);
    const record = step(before);
    this.put(key, record);
    return { before: before.state, record };
  }

  private get(key: string): BreakerRecord {
    return this.records.get(key) ?? CLOSED;
  }

  private put(key: string, record: BreakerRecord): void {
    if (record.state === 'closed' && record.failures === 0) this.records.delete(key);
    else this.records.set(key, record);
  }
}
