/**
 * Screens a file's ID numbers for repeats while it streams, in fixed memory: a Bloom filter
 * of 2^26 bits (8 MiB) whatever the file's size. An ID number it may have seen before
 * becomes a candidate; apply then checks only the candidates in SQL instead of grouping the
 * whole staging table. Past MAX_CANDIDATES (a file full of repeats) it gives up the list
 * and apply falls back to grouping.
 *
 * The filter is split into blocks of eight 32-bit words (32 bytes): an ID number sets one
 * bit in each word of one block, so it touches one or two cache lines instead of one per bit
 * (seven, scattered over the 8 MiB). Its false positives (candidates that do not repeat, which apply's check
 * clears) are about twice a plain filter's of the same size: with generated ID numbers, none
 * at a million, 6 at two million, about 2 600 at five million (the most rows an import takes)
 * against 1 400, so the list still holds at that size.
 */
/** Odd multipliers, one per word of a block (those of Parquet's split block Bloom filter). */
const SALT = new Uint32Array([
  0x47b6137b, 0x44974d91, 0x8824ad5b, 0xa2b7289d, 0x705495c7, 0x2df1424b, 0x9efc4947, 0x5c6bfb31,
]);

export class DuplicateScreen {
  static readonly MAX_CANDIDATES = 10_000;
  private static readonly BITS = 1 << 26;
  /** Blocks of eight words. */
  private static readonly BLOCKS = DuplicateScreen.BITS >>> 8;
  private readonly words = new Uint32Array(DuplicateScreen.BITS >>> 5);
  private readonly found = new Set<string>();
  private overflowed = false;

  add(id: string): void {
    let h1 = 0x811c9dc5;
    let h2 = 0x9747b28c;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    if (this.mark(h1, h2)) this.candidate(id);
  }

  /** `add` of an ASCII ID number given as bytes `from`-`to` (the same hashes: its bytes are its characters). */
  addBytes(b: Uint8Array, from: number, to: number): void {
    let h1 = 0x811c9dc5;
    let h2 = 0x9747b28c;
    for (let i = from; i < to; i++) {
      const c = b[i];
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    if (this.mark(h1, h2) && !this.overflowed) this.candidate(String.fromCharCode(...b.subarray(from, to)));
  }

  /**
   * Sets the ID number's bits: one block chosen by h1, one bit of each of its words chosen by
   * h2 times that word's odd constant. Whether they were all set already (seen before, or a
   * false positive).
   */
  private mark(h1: number, h2: number): boolean {
    const words = this.words;
    const base = (h1 & (DuplicateScreen.BLOCKS - 1)) << 3;
    h2 |= 1;
    let seen = true;
    for (let k = 0; k < 8; k++) {
      const mask = 1 << (Math.imul(h2, SALT[k]) >>> 27);
      const word = words[base + k];
      if ((word & mask) === 0) {
        seen = false;
        words[base + k] = word | mask;
      }
    }
    return seen;
  }

  private candidate(id: string): void {
    if (this.overflowed) return;
    this.found.add(id);
    if (this.found.size > DuplicateScreen.MAX_CANDIDATES) {
      this.overflowed = true;
      this.found.clear();
    }
  }

  /** The ID numbers that may repeat; null when there were too many to list (check them all). */
  candidates(): string[] | null {
    return this.overflowed ? null : [...this.found];
  }
}
