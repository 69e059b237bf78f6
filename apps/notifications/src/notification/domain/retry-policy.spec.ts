import { retryDelayMs, type RetryPolicy } from './retry-policy.js';

const policy: RetryPolicy = { maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 60_000 };

describe('retryDelayMs', () => {
  it('doubles per attempt, between half and the whole step', () => {
    expect(retryDelayMs(1, policy, () => 0)).toBe(500);
    expect(retryDelayMs(1, policy, () => 1)).toBe(1000);
    expect(retryDelayMs(2, policy, () => 0)).toBe(1000);
    expect(retryDelayMs(3, policy, () => 0.5)).toBe(3000);
    expect(retryDelayMs(4, policy, () => 1)).toBe(8000);
  });

  it('is capped', () => {
    expect(retryDelayMs(20, policy, () => 1)).toBe(60_000);
    expect(retryDelayMs(20, policy, () => 0)).toBe(30_000);
  });

  it('spreads retries out (jitter)', () => {
    const seen = new Set(Array.from({ length: 50 }, () => retryDelayMs(5, policy)));
    expect(seen.size).toBeGreaterThan(10);
    for (const d of seen) {
      expect(d).toBeGreaterThanOrEqual(8000);
      expect(d).toBeLessThanOrEqual(16_000);
    }
  });
});
