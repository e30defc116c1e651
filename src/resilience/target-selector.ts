/**
 * Orders a route's targets for one request: the first entry is tried first, the rest are the
 * fallbacks in order. Three steps:
 *  1. Policy: drop targets the request may not reach (target-condition.ts: `when` conditions
 *     and data sensitivity). If none is left the request is refused ('not-allowed') — it is
 *     never sent somewhere it was not allowed to go.
 *  2. Breakers: drop targets whose breaker would reject now. A target whose cooldown has
 *     elapsed is kept (its next request is the probe). If every allowed target is open the
 *     answer is empty with 'breakers-open': we deliberately do not try an open target as a
 *     last resort, since failing fast while a provider is down is the breaker's whole point
 *     and the probe already brings traffic back once one recovers.
 *  3. Strategy: `fallback` keeps config order; `weighted` picks the first at random in
 *     proportion to weight, then the rest by descending weight; `latency` puts targets with no
 *     (or a stale) average first, in config order, so they get measured, then ascending average.
 * Ties always keep config order. The caller supplies breaker availability and latency as
 * lookups, so this stays synchronous and pure.
 */
import { targetAllowed, type RequestAttributes, type TargetCondition } from './target-condition.js';

export type RouteStrategy = 'fallback' | 'weighted' | 'latency';

export interface SelectableTarget {
  /** The key breakers and trackers use for this target (for example `provider/model`). */
  readonly id: string;
  readonly providerTrusted: boolean;
  readonly weight: number;
  readonly when?: TargetCondition | undefined;
}

export interface SelectionInput<T extends SelectableTarget> {
  readonly strategy: RouteStrategy;
  readonly targets: readonly T[];
  readonly request: RequestAttributes;
  /** Whether the target's breaker admits a request now (closed, or a probe is due). */
  readonly available: (id: string) => boolean;
  /** Moving-average latency in ms, undefined when unknown. */
  readonly latencyOf: (id: string) => number | undefined;
  readonly random: () => number;
}

export interface Selection<T> {
  readonly ordered: T[];
  /** Why `ordered` is empty; absent when there is something to try. */
  readonly refusal?: 'not-allowed' | 'breakers-open';
}

function byWeightDesc<T extends SelectableTarget>(targets: readonly T[]): T[] {
  return [...targets].sort((a, b) => b.weight - a.weight);
}

function weighted<T extends SelectableTarget>(targets: readonly T[], random: () => number): T[] {
  const total = targets.reduce((sum, t) => sum + Math.max(0, t.weight), 0);
  if (!(total > 0)) return [...targets];
  let point = Math.min(Math.max(random(), 0), 1 - Number.EPSILON) * total;
  let first = targets.length - 1;
  for (let i = 0; i < targets.length; i++) {
    point -= Math.max(0, targets[i].weight);
    if (point < 0) {
      first = i;
      break;
    }
  }
  return [targets[first], ...byWeightDesc(targets.filter((_, i) => i !== first))];
}

function fastestFirst<T extends SelectableTarget>(targets: readonly T[], latencyOf: (id: string) => number | undefined): T[] {
  const known: Array<{ t: T; ms: number }> = [];
  const unknown: T[] = [];
  for (const t of targets) {
    const ms = latencyOf(t.id);
    if (ms === undefined) unknown.push(t);
    else known.push({ t, ms });
  }
  known.sort((a, b) => a.ms - b.ms);
  return [...unknown, ...known.map((k) => k.t)];
}

export function selectTargets<T extends SelectableTarget>(input: SelectionInput<T>): Selection<T> {
  const allowed = input.targets.filter((t) => targetAllowed(t, input.request));
  if (allowed.length === 0) return { ordered: [], refusal: 'not-allowed' };
  const healthy = allowed.filter((t) => input.available(t.id));
  if (healthy.length === 0) return { ordered: [], refusal: 'breakers-open' };
  switch (input.strategy) {
    case 'fallback':
      return { ordered: healthy };
    case 'weighted':
      return { ordered: weighted(healthy, input.random) };
    case 'latency':
      return { ordered: fastestFirst(healthy, input.latencyOf) };
  }
}
