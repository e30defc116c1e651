/**
 * Writes the o200k_base BPE ranks of the installed gpt-tokenizer as one binary file under
 * dist/data, for `src/metering/pricing/token-ranks.ts` to load on the first token estimate.
 *
 * Why: the package ships its ranks as a 2.4 MB JavaScript array literal of 200,000 strings, and
 * the map the library builds from them costs 35–40 MiB of resident memory. The binary layout
 * (`compact-ranks.ts`, compiled by the tsc step that runs before this script) loads into typed
 * arrays of about 4 MiB instead. The file is derived at build time from whatever version is
 * installed (never committed), and carries that version so a stale file is ignored rather than
 * trusted. It does not change what is counted: the tokenizer is still gpt-tokenizer's own.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(resolve(root, 'package.json'));
const { encodeRanksFile } = await import(pathToFileURL(resolve(root, 'dist', 'src', 'metering', 'pricing', 'compact-ranks.js')).href);
const version = JSON.parse(readFileSync(require.resolve('gpt-tokenizer/package.json'), 'utf8')).version;
const ranks = require('gpt-tokenizer/cjs/bpeRanks/o200k_base').default;
const out = resolve(root, 'dist', 'data', 'o200k_base-ranks.bin');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, encodeRanksFile({ library: 'gpt-tokenizer', version, encoding: 'o200k_base' }, ranks));
console.log(`token ranks: ${ranks.length} written to ${out} (gpt-tokenizer ${version})`);
