/**
 * The clock the resilience layer reads. Every time-dependent piece (breakers, budget windows,
 * error-rate windows) takes a `Clock` or a `now` value instead of calling Date.now() itself, so
 * tests drive time by hand and never sleep.
 *
 * Wall-clock milliseconds are used (not performance.now()) because breaker state may be shared
 * between replicas through Redis, where only epoch time means the same thing on every machine.
 */

/** Returns the current time in epoch milliseconds. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
