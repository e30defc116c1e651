/**
 * The semantic cache's vector index, in process: unit-length vectors of prompts whose answers
 * were stored, grouped by partition (scope, endpoint, model and every other request field, so
 * only answers to otherwise identical requests are candidates), each pointing at the exact
 * cache key of its answer. A lookup scans its partition (dot product = cosine similarity, since
 * vectors are normalised) and returns the best match at or above the threshold.
 *
 * Bounded by `maxEntries` (oldest first out). Linear scans are fine for thousands of vectors
 * per partition; docs/cache.md says how this scales beyond one machine.
 */

interface Slot {
  readonly vector: Float32Array;
  readonly key: string;
  readonly expiresAt: number;
  dead: boolean;
}

/** Unit-length copy of a vector, or undefined for an empty or zero one. */
export function normalise(values: ArrayLike<number>): Float32Array | undefined {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * values[i];
  if (values.length === 0 || !(sum > 0) || !Number.isFinite(sum)) return undefined;
  const norm = Math.sqrt(sum);
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] / norm;
  return out;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export class SemanticIndex {
  private readonly parts = new Map<string, Slot[]>();
  private readonly order: Array<[string, Slot]> = [];
  private live = 0;

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.live;
  }

  add(partition: string, vector: Float32Array, key: string, expiresAt: number): void {
    const slot: Slot = { vector, key, expiresAt, dead: false };
    const list = this.parts.get(partition) ?? [];
    list.push(slot);
    this.parts.set(partition, list);
    this.order.push([partition, slot]);
    this.live++;
    while (this.live > this.maxEntries && this.order.length > 0) {
      const [, oldest] = this.order.shift()!;
      if (!oldest.dead) this.kill(oldest);
    }
    // Slots dropped by lookups stay in the age list until compacted here (amortised O(1)).
    if (this.order.length > 2 * this.maxEntries) {
      const keep = this.order.filter(([, s]) => !s.dead);
      this.order.length = 0;
      this.order.push(...keep);
    }
  }

  private kill(slot: Slot): void {
    slot.dead = true;
    this.live--;
  }

  /** The most similar live entry at or above `threshold`; drops dead and expired slots it meets. */
  best(partition: string, vector: Float32Array, threshold: number, now: number): { key: string; similarity: number } | undefined {
    const list = this.parts.get(partition);
    if (!list) return undefined;
    let best: Slot | undefined;
    let bestSim = -Infinity;
    let write = 0;
    for (const slot of list) {
      if (!slot.dead && slot.expiresAt <= now) this.kill(slot);
      if (slot.dead) continue;
      list[write++] = slot;
      if (slot.vector.length !== vector.length) continue;
      const sim = dot(slot.vector, vector);
      if (sim > bestSim) { bestSim = sim; best = slot; }
    }
    list.length = write;
    if (write === 0) this.parts.delete(partition);
    return best && bestSim >= threshold ? { key: best.key, similarity: Math.min(1, bestSim) } : undefined;
  }

  /** Forgets an entry whose answer is gone. */
  forget(partition: string, key: string): void {
    for (const slot of this.parts.get(partition) ?? []) if (!slot.dead && slot.key === key) this.kill(slot);
  }

  clear(): void {
    for (const list of this.parts.values()) for (const slot of list) if (!slot.dead) this.kill(slot);
    this.parts.clear();
    this.order.length = 0;
  }
}
