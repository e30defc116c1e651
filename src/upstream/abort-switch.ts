/**
 * A minimal abort signal for upstream calls. undici accepts any emitter with `aborted`,
 * `reason`, `once('abort')` and `removeListener` in place of an AbortSignal; a DOM AbortSignal
 * is an EventTarget whose construction and listener bookkeeping showed up as several percent of
 * the gateway's CPU per request in profiles, and a request needs exactly one listener at a time.
 *
 * It records *why* it fired (client gone vs deadline) so errors can say which.
 */
import type { EventEmitter } from 'node:events';

export type AbortCause = 'client_closed' | 'deadline';

type Listener = () => void;

export class AbortSwitch {
  aborted = false;
  reason: Error | undefined;
  cause: AbortCause | undefined;
  private listeners: Listener[] = [];

  abort(cause: AbortCause): void {
    if (this.aborted) return;
    this.aborted = true;
    this.cause = cause;
    this.reason = new Error(`aborted: ${cause}`);
    this.reason.name = 'AbortError';
    const listeners = this.listeners;
    this.listeners = [];
    for (const l of listeners) l();
  }

  on(event: string, listener: Listener): this {
    if (event === 'abort') this.listeners.push(listener);
    return this;
  }

  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }

  removeListener(event: string, listener: Listener): this {
    if (event === 'abort') {
      const i = this.listeners.indexOf(listener);
      if (i !== -1) this.listeners.splice(i, 1);
    }
    return this;
  }

  /** The shape undici's types expect; the methods it calls are the ones above. */
  asSignal(): EventEmitter {
    return this as unknown as EventEmitter;
  }
}
