/**
 * A Map that holds at most `maxKeys` entries, evicting the least recently written one. The
 * resilience trackers key their state by target, and targets can be named by clients
 * (`provider/any-model`), so every per-target table needs a hard ceiling on memory.
 *
 * Only writes refresh an entry's position: reads stay allocation-free on the hot path, and an
 * entry that is read but never updated carries no fresh information worth protecting.
 */

export class BoundedMap<K, V> {
  private readonly entries = new Map<K, V>();
  /** The most recently written key: writing it again needs no move. */
  private newest: K | undefined;

  constructor(private readonly maxKeys: number) {
    if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new RangeError('BoundedMap needs maxKeys ≥ 1');
  }

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  set(key: K, value: V): void {
    // The usual case (one target written on every request) updates in place: deleting and
    // re-adding the only key made V8 shrink and regrow the Map's table each time.
    if (key === this.newest && this.entries.has(key)) {
      this.entries.set(key, value);
      return;
    }
    // Delete first so re-insertion moves the key to the newest end of the Map's order.
    this.entries.delete(key);
    this.entries.set(key, value);
    this.newest = key;
    if (this.entries.size > this.maxKeys) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
