/**
 * A Bloom filter over the keys a shared cache file may hold, so that a miss (most lookups of a
 * miss-heavy workload) is answered without reading the file. "No" is certain for every key the
 * filter was told about; "maybe" means: read the file. Deleted or expired keys stay "maybe", which
 * only costs a read, never a wrong answer.
 *
 * Sized once: 2^22 bits (512 KiB) and 7 probes keep false positives near 1% up to about 430,000
 * keys (CAPACITY). Past that the owner rebuilds it from the live keys (sqlite-cache-store.ts).
 * The hashes are two FNV-1a variants over the key's UTF-16 code units, combined by double
 * hashing; the keys are mostly SHA-256 hex already, so nothing stronger is needed.
 */

const BITS_LOG2 = 22;
const PROBES = 7;
/** Keys the filter holds before its false-positive rate climbs past about 1%. */
export const CAPACITY = Math.floor((1 << BITS_LOG2) / 9.6);

export class KeyFilter {
  private readonly words = new Uint32Array((1 << BITS_LOG2) / 32);
  private readonly mask = (1 << BITS_LOG2) - 1;
  /** Keys added so far (repeats included). */
  added = 0;

  add(key: string): void {
    this.probe(key, true);
    this.added++;
  }

  mightHave(key: string): boolean {
    return this.probe(key, false);
  }

  /** Whether every probed bit of `key` is set; with `set`, sets them on the way. */
  private probe(key: string, set: boolean): boolean {
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    h2 |= 1;
    let all = true;
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.mask;
      const word = bit >>> 5;
      const flag = 1 << (bit & 31);
      if ((this.words[word] & flag) !== 0) continue;
      if (!set) return false;
      all = false;
      this.words[word] |= flag;
    }
    return all;
  }

  get saturated(): boolean {
    return this.added > CAPACITY;
  }
}
