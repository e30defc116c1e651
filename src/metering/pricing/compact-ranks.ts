/**
 * A BPE rank table kept in three typed arrays instead of JavaScript strings and a Map: every
 * token's bytes back to back, where each token starts, and an open-addressing hash table from
 * a token's bytes to its rank. For o200k_base's 199,998 tokens that is about 4 MiB outside the
 * V8 heap, where gpt-tokenizer's own string map costs 13 MiB of live heap and 35–40 MiB of
 * resident memory once V8 has grown its heap around it. Lookups take bytes or a string.
 *
 * Also the binary file the build writes it to (`encodeRanksFile` / `decodeRanksFile`), so
 * loading it never parses 200,000 strings onto the heap. It does no tokenizing: the split
 * regex, the merge loop and the special tokens stay gpt-tokenizer's (token-ranks.ts).
 */

const MAGIC = 'TGBPE001';

/** What the build records about where the ranks came from; a mismatch makes the file stale. */
export interface RanksHeader {
  library: string;
  version: string;
  encoding: string;
}

/** gpt-tokenizer's rank list: a token's UTF-8 text, or its bytes when they are not valid UTF-8. */
export type RankList = readonly (string | readonly number[] | undefined)[];

/** 32-bit FNV-1a; tokens are short, so a simple byte hash spreads them well enough. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

export class CompactRanks {
  private readonly slots: Int32Array;
  private readonly mask: number;
  private scratch = new Uint8Array(256);

  /** `offsets` has one entry per rank plus one; an empty range is a rank with no token. */
  constructor(private readonly bytes: Uint8Array, private readonly offsets: Uint32Array) {
    let size = 1;
    while (size < this.size * 2) size <<= 1;
    this.slots = new Int32Array(size); // rank + 1; 0 marks a free slot
    this.mask = size - 1;
    for (let rank = 0; rank < this.size; rank++) {
      const start = offsets[rank];
      const end = offsets[rank + 1];
      if (end === start) continue;
      let slot = hashBytes(bytes, start, end) & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = rank + 1;
    }
  }

  get size(): number {
    return this.offsets.length - 1;
  }

  /** The rank of the token spelled by `key`, or undefined when no token has those bytes. */
  rankOfBytes(key: Uint8Array, start = 0, end = key.length): number | undefined {
    const length = end - start;
    for (let slot = hashBytes(key, start, end) & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = this.slots[slot];
      if (entry === 0) return undefined;
      const from = this.offsets[entry - 1];
      if (this.offsets[entry] - from === length && this.sameBytes(from, key, start, length)) return entry - 1;
    }
  }

  /**
   * The rank of the token whose UTF-8 text is `text`. A string that is not well-formed UTF-16
   * (a lone surrogate) is no token's text, as in gpt-tokenizer's own string map.
   */
  rankOfString(text: string): number | undefined {
    if (!(text as WellFormedCheck).isWellFormed()) return undefined;
    if (this.scratch.length < text.length * 3) this.scratch = new Uint8Array(text.length * 3);
    const { written } = ENCODER.encodeInto(text, this.scratch);
    return this.rankOfBytes(this.scratch, 0, written);
  }

  /** The token's bytes (a view, not a copy), or undefined for a rank with no token. */
  tokenBytes(rank: number): Uint8Array | undefined {
    if (!(rank >= 0 && rank < this.size)) return undefined;
    const start = this.offsets[rank];
    const end = this.offsets[rank + 1];
    return end === start ? undefined : this.bytes.subarray(start, end);
  }

  private sameBytes(from: number, key: Uint8Array, start: number, length: number): boolean {
    for (let i = 0; i < length; i++) if (this.bytes[from + i] !== key[start + i]) return false;
    return true;
  }
}

const ENCODER = new TextEncoder();
/** ES2024's String#isWellFormed, which Node 20 has and the project's ES2023 typings lack. */
type WellFormedCheck = string & { isWellFormed(): boolean };

/** Layout: magic, u32 header length, header JSON, padding to 4, u32 offsets (LE), token bytes. */
export function encodeRanksFile(header: RanksHeader, ranks: RankList): Buffer {
  const tokens = ranks.map((token) => (token === undefined ? Buffer.alloc(0) : typeof token === 'string' ? Buffer.from(token, 'utf8') : Buffer.from(token)));
  const head = Buffer.from(JSON.stringify({ ...header, count: ranks.length }), 'utf8');
  const headEnd = MAGIC.length + 4 + head.length;
  const offsetsStart = headEnd + ((4 - (headEnd % 4)) % 4);
  const offsets = Buffer.alloc(4 * (ranks.length + 1));
  let at = 0;
  tokens.forEach((token, rank) => {
    offsets.writeUInt32LE(at, 4 * rank);
    at += token.length;
  });
  offsets.writeUInt32LE(at, 4 * ranks.length);
  const prefix = Buffer.alloc(offsetsStart);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(head.length, MAGIC.length);
  head.copy(prefix, MAGIC.length + 4);
  return Buffer.concat([prefix, offsets, ...tokens]);
}

/** The header and table of a ranks file, or undefined when it is not one or is truncated. */
export function decodeRanksFile(file: Buffer): { header: RanksHeader; ranks: CompactRanks } | undefined {
  if (file.length < MAGIC.length + 4 || file.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined;
  const headLength = file.readUInt32LE(MAGIC.length);
  const headEnd = MAGIC.length + 4 + headLength;
  if (headEnd > file.length) return undefined;
  let header: RanksHeader & { count: number };
  try {
    header = JSON.parse(file.toString('utf8', MAGIC.length + 4, headEnd)) as RanksHeader & { count: number };
  } catch {
    return undefined;
  }
  const count = header.count;
  const offsetsStart = headEnd + ((4 - (headEnd % 4)) % 4);
  const bytesStart = offsetsStart + 4 * (count + 1);
  if (!Number.isInteger(count) || count < 0 || bytesStart > file.length) return undefined;
  const offsets = new Uint32Array(count + 1);
  for (let i = 0; i <= count; i++) offsets[i] = file.readUInt32LE(offsetsStart + 4 * i);
  const bytes = Uint8Array.prototype.slice.call(file, bytesStart);
  for (let i = 0; i < count; i++) if (offsets[i] > offsets[i + 1]) return undefined;
  if (offsets[count] !== bytes.length) return undefined;
  return { header: { library: header.library, version: header.version, encoding: header.encoding }, ranks: new CompactRanks(bytes, offsets) };
}
