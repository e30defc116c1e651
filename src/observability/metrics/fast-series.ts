/**
 * Request-path metric series as plain numbers: a counter child is `{ value }`, a histogram child
 * a bucket-count array with sum and count. Observing is an addition (plus a short bucket search),
 * with no label hashing or validation per call, which prom-client's own children do on every
 * `inc`/`observe`. The series register in a prom-client Registry through its custom-metric
 * interface (`get()` returning name, help, type and values), so the exposition format, escaping
 * and content type stay prom-client's. Label values must already be bounded (label-bounds.ts).
 */
import type { Registry } from 'prom-client';

interface Exposed {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

function labelsOf(names: readonly string[], values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  names.forEach((n, i) => { out[n] = values[i]; });
  return out;
}

abstract class FastMetric<C> {
  protected readonly children: Array<{ labels: Record<string, string>; child: C }> = [];

  constructor(registry: Registry, readonly name: string, readonly help: string, readonly type: 'counter' | 'histogram', protected readonly labelNames: readonly string[]) {
    registry.registerMetric(this as never);
  }

  protected add(values: readonly string[], child: C): C {
    this.children.push({ labels: labelsOf(this.labelNames, values), child });
    return child;
  }

  protected abstract values(): Exposed[];

  /** prom-client's custom-metric interface; called at scrape time only. */
  async get(): Promise<{ name: string; help: string; type: string; values: Exposed[]; aggregator: string }> {
    return { name: this.name, help: this.help, type: this.type, values: this.values(), aggregator: 'sum' };
  }

  reset(): void {
    this.children.length = 0;
  }
}

export interface CounterChild {
  value: number;
}

export class FastCounter extends FastMetric<CounterChild> {
  constructor(registry: Registry, name: string, help: string, labelNames: readonly string[] = []) {
    super(registry, name, help, 'counter', labelNames);
  }

  /** A new series; call once per label set (the caller memoises it). */
  child(values: readonly string[] = []): CounterChild {
    return this.add(values, { value: 0 });
  }

  protected values(): Exposed[] {
    return this.children.map(({ labels, child }) => ({ labels, value: child.value }));
  }
}

export interface HistogramChild {
  /** Per bucket (not cumulative), plus one for values above the last bound. */
  counts: Float64Array;
  sum: number;
  count: number;
}

export class FastHistogram extends FastMetric<HistogramChild> {
  constructor(registry: Registry, name: string, help: string, labelNames: readonly string[], private readonly buckets: readonly number[]) {
    super(registry, name, help, 'histogram', labelNames);
  }

  child(values: readonly string[]): HistogramChild {
    return this.add(values, { counts: new Float64Array(this.buckets.length + 1), sum: 0, count: 0 });
  }

  observe(child: HistogramChild, value: number): void {
    const b = this.buckets;
    let i = 0;
    while (i < b.length && value > b[i]) i++;
    child.counts[i]++;
    child.sum += value;
    child.count++;
  }

  protected values(): Exposed[] {
    const out: Exposed[] = [];
    for (const { labels, child } of this.children) {
      let cumulative = 0;
      this.buckets.forEach((le, i) => {
        cumulative += child.counts[i];
        out.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le }, value: cumulative });
      });
      out.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: '+Inf' }, value: child.count });
      out.push({ metricName: `${this.name}_sum`, labels, value: child.sum });
      out.push({ metricName: `${this.name}_count`, labels, value: child.count });
    }
    return out;
  }
}
