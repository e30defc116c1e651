/**
 * Background work of the guards while a gateway runs: loading admin-created keys and tenants
 * into the registry at start and every few seconds after (so a key created on another replica
 * works here soon after), and logging the 80% budget signal. The request path never waits on
 * any of it; a store that cannot be read keeps the last good copy.
 */
import type { Logger } from 'pino';
import type { RuntimeConfig } from '../config/compile.js';
import type { BudgetSignal, GuardRuntime } from './guard-runtime.js';

export const REFRESH_MS = 2_000;

export async function refreshRegistry(guards: GuardRuntime): Promise<void> {
  guards.registry.replace(await guards.access.load());
}

export function startGuards(guards: GuardRuntime, config: () => RuntimeConfig, log: Logger): () => void {
  let stopped = false;
  const refresh = (): void => {
    guards.approachingAt = config().guards.approachingAt;
    refreshRegistry(guards).catch((err: unknown) => {
      if (!stopped) log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not load API keys from storage; keeping the last copy');
    });
  };
  refresh();
  const timer = setInterval(refresh, REFRESH_MS);
  timer.unref();
  const onSignal = (s: BudgetSignal): void => log.warn({ counter: s.counter, limitMicros: s.limitMicros, usedMicros: s.usedMicros }, 'budget approaching its limit');
  guards.signals.on('budget-approaching', onSignal);
  return () => {
    stopped = true;
    clearInterval(timer);
    guards.signals.off('budget-approaching', onSignal);
  };
}
