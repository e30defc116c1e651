/**
 * In-flight coalescing within one process: the first cacheable miss for a key becomes the
 * leader and calls upstream; identical requests arriving meanwhile wait for the leader's
 * stored answer instead of calling too. The wait is bounded (config `coalesceWaitMs`) and
 * ends early if the follower's client leaves; a leader that fails or produces nothing
 * cacheable settles with `undefined`, and its followers then make their own calls — an error
 * is never fanned out.
 *
 * Coalescing across replicas is not done: each replica sends at most one call per key.
 */
import type { HeldAnswer } from './cache-entry.js';

/**
 * A leader's flight. Its promise is made by the first follower: most flights have none, and a
 * promise per cacheable miss was measurable on a miss-heavy load.
 */
interface Flight {
  promise: Promise<HeldAnswer | undefined> | undefined;
  resolve: ((answer: HeldAnswer | undefined) => void) | undefined;
  settle(answer: HeldAnswer | undefined): void;
  settled: boolean;
}

export class Coalescer {
  private readonly flights = new Map<string, Flight>();

  get inFlight(): number {
    return this.flights.size;
  }

  /** Registers a leader; returns its settle function, or undefined if a flight exists. */
  lead(key: string): ((answer: HeldAnswer | undefined) => void) | undefined {
    if (this.flights.has(key)) return undefined;
    const flight: Flight = { promise: undefined, resolve: undefined, settled: false, settle: () => undefined };
    flight.settle = (answer) => {
      if (flight.settled) return;
      flight.settled = true;
      if (this.flights.get(key) === flight) this.flights.delete(key);
      flight.resolve?.(answer);
    };
    this.flights.set(key, flight);
    return flight.settle;
  }

  private promiseOf(flight: Flight): Promise<HeldAnswer | undefined> {
    flight.promise ??= new Promise((r) => { flight.resolve = r; });
    return flight.promise;
  }

  /** Waits for the key's leader, at most `waitMs` or until `signal` fires; undefined if none. */
  follow(key: string, waitMs: number, onAbort: (stop: () => void) => () => void): Promise<HeldAnswer | undefined> | undefined {
    const flight = this.flights.get(key);
    if (!flight) return undefined;
    return new Promise((resolve) => {
      let done = false;
      const finish = (a: HeldAnswer | undefined): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        detach();
        resolve(a);
      };
      const timer = setTimeout(() => finish(undefined), waitMs);
      const detach = onAbort(() => finish(undefined));
      this.promiseOf(flight).then(finish, () => finish(undefined));
    });
  }
}
