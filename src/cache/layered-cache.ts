/**
 * The two cache layers seen as one: an in-process LRU (decoded answers, bounded in bytes) over
 * an optional shared store (SQLite or Redis) holding entry text. Reads try memory, then the
 * shared layer, and copy a shared hit into memory. Writes go to the shared layer in the
 * background (the request path never awaits a shared write) and to memory only when there is
 * no shared layer or the shared write failed.
 *
 * Admission on re-use: in front of a shared layer, memory takes an answer when it is first
 * asked for again (a shared hit), not when it is stored. Most answers of a miss-heavy workload
 * are never asked for again, and holding each one until the LRU evicts it pushed every answer
 * into V8's old generation, whose collection was a large share of a miss's CPU. Only answers
 * that proved hot stay in process; the first repeat costs one shared read.
 *
 * Failure policy: any shared-layer error is a miss on read and is swallowed on write; both are
 * counted in the stats. Expiry is checked against the entry's own `expiresAt`, so an entry is
 * never served late whatever a store's eviction does.
 */
import type { Clock } from '../resilience/clock.js';
import { decodeEntry, encodeEntry, heldSize, hold, textLengthOf, type CachedAnswer, type HeldAnswer } from './cache-entry.js';
import type { CacheStore } from './cache-store.js';
import { MemoryCacheStore } from './memory-cache-store.js';

export interface CacheCounters {
  hits: number;
  misses: number;
  bypass: number;
  /** Shared-layer hits (a subset of hits). */
  sharedHits: number;
  /** Hits found by prompt similarity (a subset of hits). */
  semanticHits: number;
  readErrors: number;
  writeErrors: number;
  stored: number;
}

export interface CacheStats extends CacheCounters {
  entries: number;
  bytes: number;
  shared: string;
}

export class LayeredCache {
  readonly memory: MemoryCacheStore<HeldAnswer>;
  readonly counters: CacheCounters = { hits: 0, misses: 0, bypass: 0, sharedHits: 0, semanticHits: 0, readErrors: 0, writeErrors: 0, stored: 0 };

  constructor(maxBytes: number, readonly shared: CacheStore<string> | undefined, readonly sharedName: string, readonly now: Clock = Date.now) {
    this.memory = new MemoryCacheStore<HeldAnswer>({ maxBytes, sizeOf: heldSize, now });
  }

  /** Memory only, synchronously: the hit path's first look. */
  peek(key: string): HeldAnswer | undefined {
    const held = this.memory.peek(key);
    if (held && held.entry.expiresAt <= this.now()) return undefined;
    return held;
  }

  /** The shared layer certainly lacks `key` (its own probe, no I/O): `lookup` would miss. */
  sharedLacks(key: string): boolean {
    return this.shared === undefined || this.shared.mightHave?.(key) === false;
  }

  async lookup(key: string): Promise<HeldAnswer | undefined> {
    const local = this.peek(key);
    if (local || !this.shared) return local;
    let text: string | undefined;
    try {
      text = await this.shared.get(key);
    } catch {
      this.counters.readErrors++;
      return undefined;
    }
    const entry = text === undefined ? undefined : decodeEntry(text);
    const left = entry ? entry.expiresAt - this.now() : 0;
    if (!entry || left <= 0) return undefined;
    const held = hold(entry, text!.length);
    this.memory.put(key, held, left);
    this.counters.sharedHits++;
    return held;
  }

  /** Stores an answer; returns at once (the shared write runs in the background). */
  store(key: string, entry: CachedAnswer): HeldAnswer {
    const ttl = entry.expiresAt - entry.createdAt;
    this.counters.stored++;
    if (!this.shared) {
      // Nothing leaves the process: its size is all the text form would have told.
      const held = hold(entry, textLengthOf(entry));
      this.memory.put(key, held, ttl);
      return held;
    }
    const text = encodeEntry(entry);
    const held = hold(entry, text.length);
    this.shared.set(key, text, ttl).catch(() => {
      this.counters.writeErrors++;
      // The shared layer lost it: keep the answer in process, as a cache without one would.
      const left = entry.expiresAt - this.now();
      if (left > 0) this.memory.put(key, held, left);
    });
    return held;
  }

  async flush(prefix?: string): Promise<{ memory: number; shared: number | null }> {
    const memory = await this.memory.flush(prefix);
    let shared: number | null = null;
    if (this.shared) {
      try {
        shared = await this.shared.flush(prefix);
      } catch {
        this.counters.writeErrors++;
      }
    }
    return { memory, shared };
  }

  stats(): CacheStats {
    return { ...this.counters, entries: this.memory.entries, bytes: this.memory.bytes, shared: this.sharedName };
  }

  async close(): Promise<void> {
    await this.memory.close();
    await this.shared?.close();
  }
}
