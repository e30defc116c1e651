/**
 * Reads the price data files (data/prices/*.json) from disk, synchronously, once at startup,
 * and validates each against the price schema. Errors name the file and the field, so a bad
 * edit to the data stops the gateway with a message that says where to look.
 *
 * It deliberately does no caching and no compilation (price-catalogue.ts does both), and it must
 * never be called on the request path: the reads are blocking.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { priceFileSchema, type PriceFile } from './price-schema.js';

export interface LoadedPriceFile {
  readonly file: string;
  readonly data: PriceFile;
}

/**
 * The data directory ships next to the code (package `files` includes data/). The compiled
 * module sits at a different depth than the source (dist/src/… vs src/…), so walk upwards
 * until a data/prices directory appears instead of hard-coding the depth.
 */
export function defaultPriceDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'data', 'prices');
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error('price data directory data/prices not found above the installed code');
}

function describeIssues(file: string, issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const first = issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  return `price data ${file}: ${first.join('; ')}`;
}

export function readPriceFile(path: string): PriceFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`price data ${path}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = priceFileSchema.safeParse(json);
  if (!parsed.success) throw new Error(describeIssues(path, parsed.error.issues));
  return parsed.data;
}

/** Every *.json file in `dir`, in name order so the result does not depend on the filesystem. */
export function readPriceFiles(dir: string = defaultPriceDir()): LoadedPriceFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: f, data: readPriceFile(join(dir, f)) }));
}
