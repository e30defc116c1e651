/**
 * The in-process cache store: an LRU bounded in bytes (lru-cache's `maxSize` with a size per
 * value), with expiry checked against an injectable clock so tests move time by hand. It is
 * the fast first layer of every gateway and, with no shared layer configured, the only one.
 * It holds values as given (decoded answers, or text in the contract tests); it never copies.
 */
import { LRUCache } from 'lru-cache';
import type { Clock } from '../resilience/clock.js';
import type { CacheStore } from './cache-store.js';

interface Slot<V> {
  value: V;
  expiresAt: number;
  size: number;
}

export interface MemoryStoreOptions<V> {
  maxBytes: number;
  sizeOf(value: V): number;
  now?: Clock;
}

export class MemoryCacheStore<V = string> implements CacheStore<V> {
  private readonly lru: LRUCache<string, Slot<V>>;
  private readonly now: Clock;
  private readonly sizeOf: (value: V) => number;

  constructor(options: MemoryStoreOptions<V>) {
    this.now = options.now ?? Date.now;
    this.sizeOf = options.sizeOf;
    this.lru = new LRUCache<string, Slot<V>>({ maxSize: options.maxBytes, sizeCalculation: (slot) => slot.size });
  }

  /** Synchronous read for the hit path (the interface's get wraps it). */
  peek(key: string): V | undefined {
    const slot = this.lru.get(key);
    if (slot === undefined) return undefined;
    if (slot.expiresAt <= this.now()) {
      this.lru.delete(key);
      return undefined;
    }
    return slot.value;
  }

  /** Synchronous write; values larger than the whole bound are not kept. */
  put(key: string, value: V, ttlMs: number): void {
    const size = Math.max(1, this.sizeOf(value));
    if (size > this.lru.maxSize) return;
    this.lru.set(key, { value, expiresAt: this.now() + ttlMs, size });
  }

  get(key: string): Promise<V | undefined> {
    return Promise.resolve(this.peek(key));
  }

  set(key: string, value: V, ttlMs: number): Promise<void> {
    this.put(key, value, ttlMs);
    return Promise.resolve();
  }

  flush(prefix?: string): Promise<number> {
    let n = 0;
    for (const key of [...this.lru.keys()]) {
      if (prefix === undefined || key.startsWith(prefix)) {
        this.lru.delete(key);
        n++;
      }
    }
    return Promise.resolve(n);
  }

  close(): Promise<void> {
    this.lru.clear();
    return Promise.resolve();
  }

  get entries(): number {
    return this.lru.size;
  }

  get bytes(): number {
    return this.lru.calculatedSize;
  }
}
