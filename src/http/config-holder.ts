/**
 * Holds the current compiled config. Requests read `current` once, at arrival, and keep that
 * reference; a reload swaps the reference atomically, so in-flight requests finish on the
 * config they started with and new ones see the new one.
 */
import type { RuntimeConfig } from '../config/compile.js';

export class ConfigHolder {
  constructor(private config: RuntimeConfig) {}

  get current(): RuntimeConfig {
    return this.config;
  }

  swap(next: RuntimeConfig): RuntimeConfig {
    const previous = this.config;
    this.config = next;
    return previous;
  }
}
