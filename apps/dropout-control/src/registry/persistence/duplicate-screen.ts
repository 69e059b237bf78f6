/**
 * Screens a file's ID numbers for repeats while it streams, in fixed memory: a Bloom filter
 * of 2^26 bits (8 MiB) whatever the file's size. An ID number it may have seen before
 * becomes a candidate; apply then checks only the candidates in SQL instead of grouping the
 * whole staging table. Past MAX_CANDIDATES (a file full of repeats) it gives up the list
 * and apply falls back to grouping.
 */
export class DuplicateScreen {
  static readonly MAX_CANDIDATES = 10_000;
  private static readonly BITS = 1 << 26;
  private static readonly PROBES = 7;
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
    if (this.mark(h1, h2)) this.candidate(String.fromCharCode(...b.subarray(from, to)));
  }

  /** Sets the ID number's bits; whether they were all set already (seen before, or a false positive). */
  private mark(h1: number, h2: number): boolean {
    h2 |= 1;
    let seen = true;
    for (let k = 0; k < DuplicateScreen.PROBES; k++) {
      const bit = (h1 + Math.imul(k, h2)) & (DuplicateScreen.BITS - 1);
      const word = bit >>> 5;
      const mask = 1 << (bit & 31);
      if ((this.words[word] & mask) === 0) {
        seen = false;
        this.words[word] |= mask;
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
