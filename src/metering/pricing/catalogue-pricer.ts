/**
 * The Pricer the gateway core asks (metering/pricer.ts), backed by the compiled price catalogue
 * and the exact cost arithmetic. It adds nothing of its own except reporting unknown prices
 * through a callback, so the owner of the metrics can count them without this module knowing
 * about metrics.
 */
import type { Usage } from '../../providers/types.js';
import type { CostQuote, Pricer } from '../pricer.js';
import { costOf } from './cost.js';
import type { PriceCatalogue } from './price-catalogue.js';

export interface CataloguePricerOptions {
  /** Called when no price is known (the cost is recorded as unknown, never as zero). */
  readonly onUnknownPrice?: (providerType: string, model: string) => void;
}

export function createCataloguePricer(catalogue: PriceCatalogue, opts: CataloguePricerOptions = {}): Pricer {
  return {
    quote(providerType: string, providerName: string, model: string, usage: Usage, at: number): CostQuote {
      const price = catalogue.priceFor(providerType, model, at, providerName);
      if (!price) opts.onUnknownPrice?.(providerType, model);
      const result = costOf(price, usage);
      return { costMicros: result.costMicros, neurons: result.neurons ?? null };
    },
  };
}
