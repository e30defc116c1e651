/**
 * Builds the o200k_base tokenizer that token estimates count with. Its rank table comes from
 * the binary file `scripts/build-token-ranks.mjs` writes at build time from the installed
 * gpt-tokenizer, held compactly outside the V8 heap (compact-ranks.ts): about 4 MiB where the
 * package's own table costs 35–40 MiB of resident memory, which a gateway pays from the first
 * client abort on. When that file is missing, unreadable or from another version of the
 * library, the package's own module is used: the tokens are the same either way (a test
 * compares them), only the memory differs.
 *
 * It tokenizes nothing itself: gpt-tokenizer's encoder does, with its split regex, merge loop,
 * merge cache and special tokens. Only the encoder's three rank lookups are pointed at the
 * compact table; they are private members of the library, so `compactEncoding` checks that they
 * exist and falls back to the module otherwise, and the equivalence test pins the behaviour to
 * the installed version.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { GptEncoding } from 'gpt-tokenizer/GptEncoding';
import { decodeRanksFile, type CompactRanks, type RankList } from './compact-ranks.js';

const requireHere = createRequire(import.meta.url);
/** dist/src/metering/pricing/ → dist/data/ */
export const RANKS_FILE = new URL('../../../data/o200k_base-ranks.bin', import.meta.url);

export type RanksSource = 'compact' | 'module';

export interface LoadedTokenizer {
  readonly encoding: GptEncoding;
  readonly source: RanksSource;
}

/** The encoder's rank lookups that the compact table replaces (private in gpt-tokenizer's types). */
interface RankLookups {
  getBpeRankFromString(key: string): number | undefined;
  getBpeRankFromBytes(key: Uint8Array): number | undefined;
  tryDecodeToken(rank: number): string | Uint8Array | undefined;
}

function installedVersion(): string {
  return (requireHere('gpt-tokenizer/package.json') as { version: string }).version;
}

/** The rank table from the build's file, or undefined when it cannot be trusted. */
export function readRanksFile(file: URL = RANKS_FILE): CompactRanks | undefined {
  let decoded: ReturnType<typeof decodeRanksFile>;
  try {
    decoded = decodeRanksFile(readFileSync(file));
  } catch {
    return undefined;
  }
  if (decoded === undefined) return undefined;
  const { header, ranks } = decoded;
  if (header.library !== 'gpt-tokenizer' || header.encoding !== 'o200k_base' || header.version !== installedVersion()) return undefined;
  return ranks;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** gpt-tokenizer's encoder over an empty rank list, its lookups answered by `ranks`. */
function compactEncoding(ranks: CompactRanks): GptEncoding | undefined {
  const { GptEncoding: Encoding } = requireHere('gpt-tokenizer/cjs/GptEncoding') as typeof import('gpt-tokenizer/GptEncoding');
  const encoding = Encoding.getEncodingApi('o200k_base', () => []);
  const core = (encoding as unknown as { bytePairEncodingCoreProcessor?: RankLookups & { specialTokensDecoder?: Map<number, string> } }).bytePairEncodingCoreProcessor;
  if (core === undefined || typeof core.getBpeRankFromString !== 'function' || typeof core.getBpeRankFromBytes !== 'function' || typeof core.tryDecodeToken !== 'function') return undefined;
  const special = core.specialTokensDecoder;
  const lookups: RankLookups = {
    getBpeRankFromString: (key) => ranks.rankOfString(key),
    getBpeRankFromBytes: (key) => ranks.rankOfBytes(key),
    // As the library decodes: a token's text when its bytes are UTF-8, else the bytes.
    tryDecodeToken: (rank) => {
      const bytes = ranks.tokenBytes(rank);
      if (bytes === undefined) return special?.get(rank);
      try {
        return UTF8.decode(bytes);
      } catch {
        return bytes;
      }
    },
  };
  Object.assign(core, lookups);
  return encoding;
}

export function loadTokenizer(file: URL = RANKS_FILE): LoadedTokenizer {
  const ranks = readRanksFile(file);
  const compact = ranks === undefined ? undefined : compactEncoding(ranks);
  if (compact !== undefined) return { encoding: compact, source: 'compact' };
  const { GptEncoding: Encoding } = requireHere('gpt-tokenizer/cjs/GptEncoding') as typeof import('gpt-tokenizer/GptEncoding');
  const bundled = requireHere('gpt-tokenizer/cjs/bpeRanks/o200k_base') as { default: RankList };
  return { encoding: Encoding.getEncodingApi('o200k_base', () => bundled.default as (string | number[])[]), source: 'module' };
}
