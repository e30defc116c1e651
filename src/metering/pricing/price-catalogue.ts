/**
 * The price catalogue: the data files under data/prices/ plus the config's `pricing` overrides,
 * compiled once into lookup tables. `priceFor(type, model, at)` then answers with the price in
 * force at time `at` (the entry with the latest effectiveFrom ≤ at) using only map lookups, so it
 * is cheap enough for the request path.
 *
 * Precedence: an override keyed by the provider's configured name, then one keyed by its type,
 * then the catalogue for the type. An override with an effectiveFrom later than `at` is skipped
 * (the catalogue price applies before it). Files are read synchronously and at most once per
 * process and directory; a config reload recompiles the overrides only. Unknown models answer
 * undefined, never a zero price; counting them is the caller's job (it owns the metrics).
 */
import { usdToMicros } from './micros.js';
import { matchModel, normalizeModelId } from './model-match.js';
import { priceFromEntry, priceFromOverride, type Price } from './price.js';
import { readPriceFiles } from './price-files.js';
import { dateToEpochMs, type PriceEntry, type PriceFile, type PricingOverrides } from './price-schema.js';

export type { Price } from './price.js';

/** Newest first. */
type Timeline = readonly Price[];
type Table = Map<string, Map<string, Timeline>>;

export interface PriceCatalogue {
  priceFor(providerType: string, model: string, at: number, providerName?: string): Price | undefined;
}

interface NeuronPrice {
  readonly from: number;
  readonly microsPer1000: number;
}

function tableFor(table: Table, provider: string): Map<string, Timeline> {
  let models = table.get(provider);
  if (!models) table.set(provider, (models = new Map()));
  return models;
}

/** The last item in force at `at`; `items` are sorted by `from`, oldest first. */
function latest<T extends { from: number }>(items: readonly T[], at: number): T | undefined {
  let found: T | undefined;
  for (const item of items) if (item.from <= at) found = item;
  return found;
}

function neuronPrices(files: readonly PriceFile[]): Map<string, NeuronPrice[]> {
  const out = new Map<string, NeuronPrice[]>();
  for (const f of files) {
    for (const np of f.neuronPrices ?? []) {
      const list = out.get(np.provider) ?? [];
      list.push({ from: dateToEpochMs(np.effectiveFrom), microsPer1000: usdToMicros(np.usdPer1000Neurons) ?? 0 });
      out.set(np.provider, list);
    }
  }
  for (const list of out.values()) list.sort((a, b) => a.from - b.from);
  return out;
}

/**
 * One model's entries as a timeline. A neuron-billed model also changes price when the neuron
 * price changes, so those dates become breakpoints too.
 */
function buildTimeline(entries: readonly PriceEntry[], neurons: readonly NeuronPrice[]): Timeline {
  const dated = entries.map((e) => ({ from: dateToEpochMs(e.effectiveFrom), entry: e })).sort((a, b) => a.from - b.from);
  const dates = new Set(dated.map((d) => d.from));
  if (dated.some((d) => d.entry.neurons)) {
    for (const np of neurons) if (np.from > dated[0].from) dates.add(np.from);
  }
  const out: Price[] = [];
  for (const at of [...dates].sort((a, b) => a - b)) {
    const current = latest(dated, at);
    const price = current && priceFromEntry(current.entry, at, latest(neurons, at)?.microsPer1000);
    if (price) out.push(price);
  }
  return Object.freeze(out.reverse());
}

function groupEntries(files: readonly PriceFile[]): Map<string, Map<string, PriceEntry[]>> {
  const groups = new Map<string, Map<string, PriceEntry[]>>();
  for (const f of files) {
    for (const e of f.entries) {
      let models = groups.get(e.provider);
      if (!models) groups.set(e.provider, (models = new Map()));
      const id = normalizeModelId(e.model);
      const list = models.get(id) ?? [];
      if (list.some((x) => x.effectiveFrom === e.effectiveFrom)) {
        throw new Error(`price data: ${e.provider}/${e.model} has two entries effective ${e.effectiveFrom}`);
      }
      list.push(e);
      models.set(id, list);
    }
  }
  return groups;
}

/** Mirrored types take the source type's models they do not price themselves. */
function applyMirrors(table: Table, files: readonly PriceFile[]): void {
  for (const f of files) {
    for (const m of f.mirrors ?? []) {
      const target = tableFor(table, m.provider);
      for (const [model, timeline] of table.get(m.from) ?? []) {
        if (!target.has(model)) target.set(model, timeline);
      }
    }
  }
}

function compileCatalogue(files: readonly PriceFile[]): Table {
  const neurons = neuronPrices(files);
  const table: Table = new Map();
  for (const [provider, models] of groupEntries(files)) {
    const target = tableFor(table, provider);
    for (const [model, entries] of models) target.set(model, buildTimeline(entries, neurons.get(provider) ?? []));
  }
  applyMirrors(table, files);
  return table;
}

function compileOverrides(overrides: PricingOverrides): Table {
  const table: Table = new Map();
  for (const [key, o] of Object.entries(overrides)) {
    const slash = key.indexOf('/');
    const from = o.effectiveFrom === undefined ? Number.NEGATIVE_INFINITY : dateToEpochMs(o.effectiveFrom);
    tableFor(table, key.slice(0, slash)).set(normalizeModelId(key.slice(slash + 1)), Object.freeze([priceFromOverride(o, from)]));
  }
  return table;
}

function timelineOf(table: Table, provider: string, model: string): Timeline | undefined {
  const models = table.get(provider);
  return models && matchModel(models, model);
}

const NO_TIMELINES: readonly Timeline[] = Object.freeze([]);
/** Models remembered per provider before that provider's table of them starts afresh. */
const MAX_MEMO_MODELS = 1024;

export function compilePriceCatalogue(files: readonly PriceFile[], overrides: PricingOverrides = {}): PriceCatalogue {
  const catalogue = compileCatalogue(files);
  const custom = compileOverrides(overrides);
  /**
   * The timelines that may price a model, in the order they are asked (custom prices by
   * provider name, then by type, then the catalogue): resolving them normalises the model name
   * and probes its snapshot suffixes, per request and up to three times, for the same few
   * models. Keyed type → name → model; the tables never change after compiling.
   */
  const memo = new Map<string, Map<string, Map<string, readonly Timeline[]>>>();
  const timelines = (providerType: string, model: string, providerName: string | undefined): readonly Timeline[] => {
    let byName = memo.get(providerType);
    if (byName === undefined) memo.set(providerType, (byName = new Map()));
    let byModel = byName.get(providerName ?? '');
    if (byModel === undefined) byName.set(providerName ?? '', (byModel = new Map()));
    let found = byModel.get(model);
    if (found === undefined) {
      const list: Timeline[] = [];
      const add = (t: Timeline | undefined): void => { if (t) list.push(t); };
      if (providerName !== undefined) add(timelineOf(custom, providerName, model));
      if (providerName !== providerType) add(timelineOf(custom, providerType, model));
      add(timelineOf(catalogue, providerType, model));
      found = list.length === 0 ? NO_TIMELINES : list;
      if (byModel.size >= MAX_MEMO_MODELS) byModel.clear();
      byModel.set(model, found);
    }
    return found;
  };
  return Object.freeze({
    priceFor(providerType: string, model: string, at: number, providerName?: string): Price | undefined {
      // The first timeline with a price in effect at `at` wins; one without falls through.
      for (const timeline of timelines(providerType, model, providerName)) {
        for (const p of timeline) if (p.effectiveFrom <= at) return p;
      }
      return undefined;
    },
  });
}

const filesByDir = new Map<string, readonly PriceFile[]>();

/**
 * The catalogue from the shipped data files (read on first use, then reused) with `overrides`
 * applied. Call at startup and on config reload, never per request.
 */
export function loadPriceCatalogue(overrides: PricingOverrides = {}, dir?: string): PriceCatalogue {
  const key = dir ?? '';
  let files = filesByDir.get(key);
  if (!files) {
    files = Object.freeze(readPriceFiles(dir).map((f) => f.data));
    filesByDir.set(key, files);
  }
  return compilePriceCatalogue(files, overrides);
}
