import { randomBytes } from 'node:crypto';

/**
 * A cross-check run's id: a UUID of version 7 (RFC 9562), the wall-clock time in milliseconds
 * followed by 74 random bits, so a run's id sorts after every earlier run's. The ledger's key
 * begins with the run id: each run's rows then go in at the right end of the index, where
 * Postgres appends them, instead of among the rows of the runs it keeps.
 */
export function newRunId(now: number = Date.now()): string {
  const b = randomBytes(16);
  let t = now;
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b[6] = 0x70 | (b[6] & 0x0f); // version 7
  b[8] = 0x80 | (b[8] & 0x3f); // the RFC's variant
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
