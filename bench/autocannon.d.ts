/**
 * Type declarations for the slice of autocannon's programmatic API the benchmark uses (the
 * package ships no types and there is no @types package installed). Only the callback form of
 * the call and the fields we read are described; everything else autocannon offers is left out
 * on purpose so an unfamiliar field shows up as a type error rather than a silent `undefined`.
 */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  namespace autocannon {
    interface Options {
      url: string;
      method?: 'GET' | 'POST';
      headers?: Record<string, string>;
      body?: string;
      connections?: number;
      pipelining?: number;
      /** Seconds. */
      duration?: number;
      /** Requests per second across all connections (autocannon's rate limiter). */
      overallRate?: number;
      /** Seconds before a request counts as timed out. */
      timeout?: number;
      /** Per-request hooks; `setupRequest` may rewrite the body of each request. */
      requests?: { setupRequest?: (request: { body?: string }) => { body?: string } }[];
    }

    interface Histogram {
      average: number;
      mean: number;
      stddev: number;
      min: number;
      max: number;
      p50: number;
      p90: number;
      p99: number;
      total: number;
    }

    interface Result {
      duration: number;
      errors: number;
      timeouts: number;
      non2xx: number;
      resets: number;
      latency: Histogram;
      requests: Histogram;
      throughput: Histogram;
      statusCodeStats: Record<string, { count: number }>;
    }

    /** The running job; `response` fires once per completed response. */
    interface Instance extends EventEmitter {
      stop(): void;
      on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTimeMs: number) => void): this;
      on(event: string, listener: (...args: unknown[]) => void): this;
    }
  }

  function autocannon(opts: autocannon.Options, cb: (err: Error | null, result: autocannon.Result) => void): autocannon.Instance;

  export = autocannon;
}
