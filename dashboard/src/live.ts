/**
 * Live refresh: the open view reloads its data every 10 s while the tab is visible and the live
 * switch is on, and at once when the tab becomes visible again. Views call useLoad with a loader
 * and its inputs; a newer answer always replaces an older one, never the reverse.
 */
import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';

export const REFRESH_MS = 10_000;

/** Increments on every refresh; views reload when it changes. */
export const TickContext = createContext(0);

export function useTicker(live: boolean): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!live) return;
    const bump = () => { if (document.visibilityState === 'visible') setTick((t) => t + 1); };
    const timer = setInterval(bump, REFRESH_MS);
    document.addEventListener('visibilitychange', bump);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', bump);
    };
  }, [live]);
  return tick;
}

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  updatedAt: number | undefined;
}

export function useLoad<T>(load: () => Promise<T>, inputs: unknown[]): Loaded<T> {
  const tick = useContext(TickContext);
  const [state, setState] = useState<Loaded<T>>({ data: undefined, error: undefined, updatedAt: undefined });
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    load().then(
      (data) => { if (mine === seq.current) setState({ data, error: undefined, updatedAt: Date.now() }); },
      (err: unknown) => { if (mine === seq.current) setState((s) => ({ ...s, error: err instanceof Error ? err.message : String(err) })); },
    );
  }, [...inputs, tick]);
  return state;
}
