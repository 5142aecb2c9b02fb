/**
 * A token bucket: `burst` requests may go at once, then `perSecond` on average. Hand-written
 * because cockatiel has no rate limiter (its policies bound concurrency and failures, not
 * throughput), and the few lines here take the injected clock tests need.
 *
 * Waiters are served in order (a promise chain), so a burst of callers cannot starve one.
 */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

export interface Clock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export class TokenBucket {
  readonly #perSecond: number;
  readonly #burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #refilledAt: number;
  #queue: Promise<void> = Promise.resolve();

  constructor(limit: RateLimit, clock: Clock) {
    if (!(limit.perSecond > 0) || !(limit.burst >= 1)) {
      throw new RangeError(`rate limit needs perSecond > 0 and burst >= 1, got ${JSON.stringify(limit)}`);
    }
    this.#perSecond = limit.perSecond;
    this.#burst = limit.burst;
    this.#clock = clock;
    this.#tokens = limit.burst;
    this.#refilledAt = clock.now();
  }

  /** Resolves when the caller may send one request. */
  take(): Promise<void> {
    const turn = this.#queue.then(() => this.#waitForToken());
    this.#queue = turn;
    return turn;
  }

  /** Takes a token if one is there now, without waiting (for callers that drop instead of queue). */
  tryTake(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  async #waitForToken(): Promise<void> {
    for (;;) {
      this.#refill();
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      await this.#clock.sleep(Math.ceil(((1 - this.#tokens) * 1000) / this.#perSecond));
    }
  }

  #refill(): void {
    const now = this.#clock.now();
    const elapsed = Math.max(0, now - this.#refilledAt);
    this.#tokens = Math.min(this.#burst, this.#tokens + (elapsed * this.#perSecond) / 1000);
    this.#refilledAt = now;
  }
}
