/**
 * Shared settings for the property (fuzz) tests: the committed seed corpus next to this file
 * and the fast-check parameters. Runs are seeded and bounded so CI is deterministic and fast;
 * FUZZ_SEED, FUZZ_RUNS and FUZZ_PATH override them to replay a failure or to fuzz longer
 * locally (see docs/testing.md). It holds no properties itself.
 */
import { readFileSync } from 'node:fs';
import type { Parameters } from 'fast-check';

/** The fixed seed CI uses; change it only on purpose (a new seed explores new inputs). */
export const DEFAULT_SEED = 20261123;

/** Entries of `test/fuzz-corpus/<name>.json` (resolved from dist/test/fuzz-corpus/ at run time). */
export function loadCorpus<T>(name: string): T[] {
  const url = new URL(`../../../test/fuzz-corpus/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as T[];
}

/** fast-check parameters: fixed seed, bounded runs, overridable from the environment. */
export function fuzzParams<T>(numRuns: number): Parameters<T> {
  const seed = process.env.FUZZ_SEED === undefined ? DEFAULT_SEED : Number(process.env.FUZZ_SEED);
  const runs = process.env.FUZZ_RUNS === undefined ? numRuns : Number(process.env.FUZZ_RUNS);
  const params: Parameters<T> = { seed, numRuns: runs };
  if (process.env.FUZZ_PATH !== undefined) params.path = process.env.FUZZ_PATH;
  return params;
}

/** Bytes of a corpus entry given as text (UTF-8) or as hex (for invalid UTF-8). */
export function corpusBytes(entry: { text?: string; hex?: string }): Buffer {
  return entry.hex !== undefined ? Buffer.from(entry.hex, 'hex') : Buffer.from(entry.text ?? '', 'utf8');
}
