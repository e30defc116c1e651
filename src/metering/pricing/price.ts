/**
 * Price: one model's rates at one point in time, in integer micro-USD per 1M tokens, ready for
 * exact cost arithmetic. Built from a catalogue entry (data/prices) or a config override.
 *
 * Missing cache rates fall back to the input rate: a model without a published prompt-cache
 * discount bills cached tokens like any other input token. Neuron-billed models carry their
 * neuron rates too; their USD rates are derived from them and are informational (cost.ts bills
 * through neurons so the conversion is rounded once).
 */
import { divideRoundHalfUp, usdToMicros } from './micros.js';
import type { PriceEntry, PricingOverride } from './price-schema.js';

export interface NeuronRate {
  /** Neurons per 1M tokens. */
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  /** Micro-USD per 1000 neurons. */
  readonly microsPer1000: number;
}

export interface Price {
  /** Micro-USD per 1M tokens, integers. */
  readonly inputMicros: number;
  readonly outputMicros: number;
  readonly cacheReadMicros: number;
  readonly cacheWriteMicros: number;
  readonly neurons?: NeuronRate;
  /** Epoch ms from which this price applies. */
  readonly effectiveFrom: number;
  readonly source: 'catalogue' | 'override';
}

/** Values were validated by the schema, so conversion cannot fail; 0 keeps the types honest. */
function micros(usd: number | undefined): number | undefined {
  return usd === undefined ? undefined : usdToMicros(usd) ?? 0;
}

interface UsdRates {
  input: number;
  output?: number;
  cachedInput?: number;
  cacheRead?: number;
  cacheWrite?: number;
}

function fromUsd(r: UsdRates, effectiveFrom: number, source: Price['source']): Price {
  const input = micros(r.input) ?? 0;
  return Object.freeze({
    inputMicros: input,
    outputMicros: micros(r.output) ?? 0,
    cacheReadMicros: micros(r.cacheRead ?? r.cachedInput) ?? input,
    cacheWriteMicros: micros(r.cacheWrite) ?? input,
    effectiveFrom,
    source,
  });
}

function perMillionFromNeurons(neurons: number, microsPer1000: number): number {
  return divideRoundHalfUp(BigInt(neurons) * BigInt(microsPer1000), 1000n);
}

function fromNeurons(n: NonNullable<PriceEntry['neurons']>, microsPer1000: number, effectiveFrom: number): Price {
  const rate: NeuronRate = Object.freeze({
    input: n.input,
    output: n.output ?? 0,
    cacheRead: n.cachedInput ?? n.input,
    microsPer1000,
  });
  const input = perMillionFromNeurons(rate.input, microsPer1000);
  return Object.freeze({
    inputMicros: input,
    outputMicros: perMillionFromNeurons(rate.output, microsPer1000),
    cacheReadMicros: perMillionFromNeurons(rate.cacheRead, microsPer1000),
    cacheWriteMicros: input,
    neurons: rate,
    effectiveFrom,
    source: 'catalogue',
  });
}

/**
 * A catalogue entry as a Price effective from `effectiveFrom`. Neuron entries need the neuron
 * price in force at that time; without one the model has no USD price (undefined).
 */
export function priceFromEntry(e: PriceEntry, effectiveFrom: number, neuronMicrosPer1000: number | undefined): Price | undefined {
  if (e.neurons) {
    return neuronMicrosPer1000 === undefined ? undefined : fromNeurons(e.neurons, neuronMicrosPer1000, effectiveFrom);
  }
  return fromUsd({ ...e, input: e.input ?? 0 }, effectiveFrom, 'catalogue');
}

export function priceFromOverride(o: PricingOverride, effectiveFrom: number): Price {
  return fromUsd(o, effectiveFrom, 'override');
}
