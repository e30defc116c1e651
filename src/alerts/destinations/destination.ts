/**
 * A place notifications go. Each destination turns a Notification into its own wire format
 * and sends it once; retries, timeouts and failure counting belong to the delivery queue, so a
 * destination stays a small translation plus one call.
 */
import type { Notification } from '../alert-message.js';

export interface Destination {
  readonly name: string;
  readonly type: string;
  /** Sends once; throws on failure (the delivery queue decides whether to retry). */
  send(n: Notification, signal: AbortSignal): Promise<void>;
  close?(): Promise<void>;
}

/** Thrown for answers that will not improve on retry (a 4xx other than 429). */
export class PermanentDeliveryError extends Error {}
