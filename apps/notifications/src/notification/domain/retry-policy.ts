export interface RetryPolicy {
  /** Sends tried in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Delay before the attempt after `attempt` (1-based): exponential (base · 2^(attempt-1), capped)
 * with "equal jitter" — half fixed, half random — so replicas retrying after one outage spread
 * out, yet never retry sooner than half the exponential step.
 */
export function retryDelayMs(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}
