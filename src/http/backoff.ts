/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And
 * Jitter"): the delay before retry n (0-based) is uniform in [0, min(maxDelay, initial·2^n)].
 * Spreading retries over the whole window keeps many clients that failed together from
 * retrying together. `random` is injected so tests can pin the draw.
 */
export interface BackoffOptions {
  initialDelayMs: number;
  maxDelayMs: number;
}

/** The upper bound of the delay before retry `retry` (0 for the first retry). */
export function backoffCap(retry: number, options: BackoffOptions): number {
  return Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** retry);
}

export function fullJitterDelay(retry: number, options: BackoffOptions, random: () => number): number {
  return Math.floor(random() * backoffCap(retry, options));
}
