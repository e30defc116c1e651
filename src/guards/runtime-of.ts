/**
 * Finds the GuardRuntime of the gateway a request belongs to. Every request context carries
 * its gateway's shared resilience runtime (`ctx.shared`), one per gateway instance, so it is
 * the natural handle: the gateway attaches its guards to it once at start. Keeping the link
 * here avoids widening the request-scope constructor that every edge path calls.
 */
import type { ResilienceRuntime } from '../resilience/resilience-runtime.js';
import type { GuardRuntime } from './guard-runtime.js';

const RUNTIMES = new WeakMap<ResilienceRuntime, GuardRuntime>();

export function attachGuards(shared: ResilienceRuntime, guards: GuardRuntime): void {
  RUNTIMES.set(shared, guards);
}

export function guardsOf(shared: ResilienceRuntime): GuardRuntime | undefined {
  return RUNTIMES.get(shared);
}
