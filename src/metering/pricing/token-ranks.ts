/**
 * Builds the o200k_base tokenizer that token estimates count with. The ranks come from the JSON
 * file `scripts/build-token-ranks.mjs` writes at build time from the installed gpt-tokenizer;
 * parsing JSON leaves far less resident memory behind than compiling the package's own
 * multi-megabyte JavaScript array (about 20 MiB less, in half the time). When that file is
 * missing, unreadable or from another version of the library, the package's own module is used:
 * the counts are the same either way, only the memory differs.
 *
 * It does not tokenize anything itself; gpt-tokenizer does, from the same rank table.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { GptEncoding } from 'gpt-tokenizer/GptEncoding';

const requireHere = createRequire(import.meta.url);
/** dist/src/metering/pricing/ → dist/data/ */
export const RANKS_FILE = new URL('../../../data/o200k_base-ranks.json', import.meta.url);

export type RanksSource = 'json' | 'module';

interface RanksFile {
  library: string;
  version: string;
  encoding: string;
  ranks: (string | number[])[];
}

function installedVersion(): string {
  return (requireHere('gpt-tokenizer/package.json') as { version: string }).version;
}

/** The rank table from the build's JSON file, or undefined when it cannot be trusted. */
export function readRanksFile(file: URL = RANKS_FILE): RanksFile['ranks'] | undefined {
  let parsed: RanksFile;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as RanksFile;
  } catch {
    return undefined;
  }
  if (parsed.library !== 'gpt-tokenizer' || parsed.encoding !== 'o200k_base') return undefined;
  if (parsed.version !== installedVersion() || !Array.isArray(parsed.ranks)) return undefined;
  return parsed.ranks;
}

export interface LoadedTokenizer {
  readonly encoding: GptEncoding;
  readonly source: RanksSource;
}

export function loadTokenizer(file: URL = RANKS_FILE): LoadedTokenizer {
  const { GptEncoding: Encoding } = requireHere('gpt-tokenizer/cjs/GptEncoding') as typeof import('gpt-tokenizer/GptEncoding');
  const ranks = readRanksFile(file);
  if (ranks !== undefined) return { encoding: Encoding.getEncodingApi('o200k_base', () => ranks), source: 'json' };
  const bundled = requireHere('gpt-tokenizer/cjs/bpeRanks/o200k_base') as { default: RanksFile['ranks'] };
  return { encoding: Encoding.getEncodingApi('o200k_base', () => bundled.default), source: 'module' };
}
