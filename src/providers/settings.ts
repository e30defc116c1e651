/**
 * Pieces shared by every adapter's config schema and by adapters that talk HTTP the same way:
 * the common settings fields and URL joining. Nothing provider-specific lives here.
 */
import { z } from 'zod';

/** Fields every provider entry accepts; adapters spread this into their strict object. */
export const baseSettingsShape = {
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  apiKey: z.string().min(1).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  models: z.array(z.string().min(1)).optional(),
  trusted: z.boolean().optional(),
};

/** Joins a base URL and a path with exactly one slash between them; keeps the path's query. */
export function joinUrl(base: string, path: string): string {
  const b = base.endsWith('/') ? base.slice(0, -1) : base;
  if (path.length === 0) return b;
  return path.startsWith('/') ? b + path : `${b}/${path}`;
}
