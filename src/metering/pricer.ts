/**
 * The metering view of prices: given who answered and what they used, what did it cost, in
 * integer micro-USD. The gateway core asks this interface only; the catalogue behind it
 * (effective-dated data files plus config overrides) lives in ./pricing/.
 */
import type { Usage } from '../providers/types.js';

export interface CostQuote {
  /** null when no price is known for the model: recorded as unknown, never as zero. */
  costMicros: number | null;
  /** Provider-native units (Workers AI neurons), when the provider bills in them. */
  neurons: number | null;
}

export interface Pricer {
  quote(providerType: string, providerName: string, model: string, usage: Usage, at: number): CostQuote;
}
