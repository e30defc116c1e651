/**
 * One UpstreamSlots per provider name, for the life of a gateway (they outlive config
 * reloads, so calls in flight across a reload are still counted). Each lookup applies the
 * provider's current `maxConcurrent` / `maxQueued`. Also the totals that metrics and health
 * report. It does not decide what a refusal means for the request (forward.ts does).
 */
import { UpstreamSlots } from './upstream-slots.js';

/** Generous defaults: below undici's 1,024 connections per origin, so undici never queues. */
export const DEFAULT_MAX_CONCURRENT = 512;
export const DEFAULT_MAX_QUEUED = 1024;

export interface SlotLimits {
  maxConcurrent?: number;
  maxQueued?: number;
}

export class ProviderSlots {
  private readonly byName = new Map<string, UpstreamSlots>();

  of(name: string, limits: SlotLimits): UpstreamSlots {
    let slots = this.byName.get(name);
    if (slots === undefined) {
      slots = new UpstreamSlots(DEFAULT_MAX_CONCURRENT, DEFAULT_MAX_QUEUED, `provider "${name}"`);
      this.byName.set(name, slots);
    }
    const max = limits.maxConcurrent ?? DEFAULT_MAX_CONCURRENT;
    const queued = limits.maxQueued ?? DEFAULT_MAX_QUEUED;
    if (max !== slots.maxConcurrent || queued !== slots.maxQueued) slots.setLimits(max, queued);
    return slots;
  }

  /** Calls refused with a full queue, over every provider since start. */
  refused(): number {
    let n = 0;
    for (const s of this.byName.values()) n += s.refused;
    return n;
  }

  /** Per provider: calls in flight, waiting, and refused so far (for /health). */
  snapshot(): Record<string, { active: number; queued: number; refused: number }> {
    const out: Record<string, { active: number; queued: number; refused: number }> = {};
    for (const [name, s] of this.byName) out[name] = { active: s.active, queued: s.queued, refused: s.refused };
    return out;
  }
}
