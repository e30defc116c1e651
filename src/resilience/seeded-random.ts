/**
 * A small deterministic random source (Park–Miller minimal standard generator) with the same
 * shape as Math.random. The resilience modules take `random` as a parameter; tests and
 * simulations pass this so jitter and weighted picks repeat exactly from run to run.
 *
 * Not for anything security-related, and not used on the request path (that passes Math.random).
 */

const MODULUS = 2_147_483_647;
const MULTIPLIER = 16_807;

/** Returns a generator of numbers in [0, 1), fully determined by `seed`. */
export function seededRandom(seed: number): () => number {
  // Products stay below 2^46, well inside exact double arithmetic.
  let state = Math.abs(Math.floor(seed)) % MODULUS || 1;
  return () => {
    state = (state * MULTIPLIER) % MODULUS;
    return (state - 1) / (MODULUS - 1);
  };
}
