/**
 * The shape of the price data: the files under data/prices/ (one JSON document per provider
 * type) and the `pricing` overrides section of tollgate.yaml. Both are validated strictly with
 * zod, so a typo in a price or a field name stops startup instead of billing wrongly.
 *
 * Amounts are USD per 1M tokens (as providers publish them) with at most six decimals, so each
 * converts exactly to integer micro-USD. Compilation into lookup tables lives in
 * price-catalogue.ts; this file only describes and checks shapes.
 */
import { z } from 'zod';
import { usdToMicros } from './micros.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day (2026-02-30 is rejected), read as UTC midnight. */
export const isoDateSchema = z.string().regex(DATE, 'must be a date YYYY-MM-DD').refine((s) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}, 'must be a real calendar date');

export function dateToEpochMs(isoDate: string): number {
  return Date.parse(`${isoDate}T00:00:00Z`);
}

const MAX_USD_PER_MILLION = 100_000;

const usdAmount = (n: z.ZodNumber) => n.finite().min(0).max(MAX_USD_PER_MILLION)
  .refine((v) => usdToMicros(v) !== undefined, 'at most 6 decimal places (whole micro-USD)');

const dataUsd = usdAmount(z.number());
const neuronsPerMillion = z.number().int().min(0).max(100_000_000);
const name = z.string().min(1).max(64);

const priceEntrySchema = z.object({
  provider: name,
  model: z.string().min(1).max(256),
  effectiveFrom: isoDateSchema,
  /** Embedding models bill input only. */
  kind: z.enum(['chat', 'embedding']).default('chat'),
  input: dataUsd.optional(),
  output: dataUsd.optional(),
  /** OpenAI's name for prompt-cache reads. */
  cachedInput: dataUsd.optional(),
  /** Anthropic's name for prompt-cache reads. */
  cacheRead: dataUsd.optional(),
  cacheWrite: dataUsd.optional(),
  /** Neuron-billed models (neurons per 1M tokens) instead of USD prices. */
  neurons: z.object({
    input: neuronsPerMillion,
    output: neuronsPerMillion.optional(),
    cachedInput: neuronsPerMillion.optional(),
  }).strict().optional(),
}).strict().superRefine((e, ctx) => {
  const usdFields = [e.input, e.output, e.cachedInput, e.cacheRead, e.cacheWrite].some((v) => v !== undefined);
  if (e.neurons && usdFields) {
    ctx.addIssue({ code: 'custom', path: ['neurons'], message: 'give either neurons or USD prices, not both' });
  }
  if (!e.neurons && e.input === undefined) {
    ctx.addIssue({ code: 'custom', path: ['input'], message: 'input price is required' });
  }
  const hasOutput = e.output !== undefined || e.neurons?.output !== undefined;
  if (e.kind === 'chat' && !hasOutput) {
    ctx.addIssue({ code: 'custom', path: ['output'], message: 'output price is required for chat models' });
  }
  if (e.cachedInput !== undefined && e.cacheRead !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['cacheRead'], message: 'cachedInput and cacheRead mean the same; give one' });
  }
});

export type PriceEntry = z.output<typeof priceEntrySchema>;

const neuronPriceSchema = z.object({
  provider: name,
  effectiveFrom: isoDateSchema,
  usdPer1000Neurons: dataUsd,
}).strict();

export type NeuronPriceEntry = z.output<typeof neuronPriceSchema>;

export const priceFileSchema = z.object({
  notes: z.string().optional(),
  /** When the prices were last compared with the provider's published list. */
  checked: isoDateSchema,
  entries: z.array(priceEntrySchema),
  /** Provider types billed at another type's prices, model by model. */
  mirrors: z.array(z.object({ provider: name, from: name }).strict()).optional(),
  neuronPrices: z.array(neuronPriceSchema).optional(),
}).strict();

export type PriceFile = z.output<typeof priceFileSchema>;

/** Config values may come from `${ENV}` interpolation as strings; coerce, then check strictly. */
const configUsd = usdAmount(z.coerce.number({ error: 'must be a number (USD per 1M tokens)' }));

export const pricingOverrideSchema = z.object({
  input: configUsd,
  output: configUsd,
  cachedInput: configUsd.optional(),
  cacheRead: configUsd.optional(),
  cacheWrite: configUsd.optional(),
  /** Applies from this UTC day on; the catalogue price applies before it. Default: always. */
  effectiveFrom: isoDateSchema.optional(),
}).strict().refine((o) => o.cachedInput === undefined || o.cacheRead === undefined, {
  message: 'cachedInput and cacheRead mean the same; give one',
  path: ['cacheRead'],
});

const OVERRIDE_KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\/\S{1,256}$/;

/**
 * `pricing:` in tollgate.yaml: `"<provider name or type>/<model>"` → USD per 1M tokens. The
 * model part may itself contain slashes (`workers-ai/@cf/meta/llama-3.1-8b-instruct`).
 */
export const pricingOverridesSchema = z.record(
  z.string().regex(OVERRIDE_KEY, 'pricing keys are "<provider name or type>/<model>"'),
  pricingOverrideSchema,
).default({});

export type PricingOverride = z.output<typeof pricingOverrideSchema>;
export type PricingOverrides = z.output<typeof pricingOverridesSchema>;
