/**
 * Integer micro-USD arithmetic for the meter. Prices arrive as decimal USD (data files, config,
 * request headers) and leave as whole micro-USD (1 USD = 1_000_000), so every conversion and
 * every division that can lose precision lives here, with one rounding rule.
 *
 * It deliberately knows nothing about tokens, models or providers.
 */

export const MICROS_PER_USD = 1_000_000;

/**
 * Converts a USD amount to whole micro-USD, or undefined when the amount is negative, not finite,
 * or carries more precision than a micro-dollar. Binary floats make 0.075 * 1e6 land a hair off
 * 75000, so "whole" means within a millionth of a micro-dollar of an integer.
 */
export function usdToMicros(usd: number): number | undefined {
  if (!Number.isFinite(usd) || usd < 0) return undefined;
  const scaled = usd * MICROS_PER_USD;
  const whole = Math.round(scaled);
  if (Math.abs(scaled - whole) > 1e-6 || !Number.isSafeInteger(whole)) return undefined;
  return whole;
}

/** Converts USD to micro-USD, rounding to the nearest micro-dollar (for request-supplied values). */
export function usdToMicrosRounded(usd: number): number {
  return Math.round(usd * MICROS_PER_USD);
}

/**
 * numerator / denominator for non-negative BigInts, rounded half up, as a Number. Costs are
 * summed exactly in BigInt and divided once, so a request is never off by more than half a
 * micro-dollar however many components it has.
 */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): number {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  if (numerator < 0n) throw new RangeError('numerator must not be negative');
  return Number((numerator * 2n + denominator) / (denominator * 2n));
}

export function microsToUsd(micros: number): number {
  return micros / MICROS_PER_USD;
}
