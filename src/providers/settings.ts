/**
 * Pieces shared by every adapter's config schema and by adapters that talk HTTP the same way:
 * the common settings fields and URL joining. Nothing provider-specific lives here.
 */
import { z } from 'zod';
import { durationMs } from '../config/duration.js';

/**
 * An optional active health probe of the provider (off unless configured): a light request
 * (the adapter's `probeRequest`, e.g. the model list) sent every `interval`, answered within
 * `timeout`, whose result shows in /health. It never feeds routing or breakers.
 */
export const probeSchema = z.object({
  interval: durationMs(1_000, 86_400_000).default(30_000),
  timeout: durationMs(100, 60_000).default(5_000),
}).strict();
import { num } from '../resilience/resilience-config.js';

/** Fields every provider entry accepts; adapters spread this into their strict object. */
export const baseSettingsShape = {
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  apiKey: z.string().min(1).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  models: z.array(z.string().min(1)).optional(),
  trusted: z.boolean().optional(),
  probe: probeSchema.optional(),
  /**
   * Upstream calls to this provider in flight at once; more wait in its queue (L5). Optional
   * here so adapters' own settings objects need not spell it out; the default (512) is
   * applied by upstream/provider-slots.ts.
   */
  maxConcurrent: num().int().min(1).max(1_024).optional(),
  /** Calls waiting for a slot (default 1,024); beyond this a call is refused at once (provider_queue_full). */
  maxQueued: num().int().min(0).max(100_000).optional(),
};

/** Joins a base URL and a path with exactly one slash between them; keeps the path's query. */
export function joinUrl(base: string, path: string): string {
  const b = base.endsWith('/') ? base.slice(0, -1) : base;
  if (path.length === 0) return b;
  return path.startsWith('/') ? b + path : `${b}/${path}`;
}
