/**
 * How many restarts one container may have in a sliding window, and how long to wait before
 * each: exponential backoff from `backoffMs`, doubling per restart already in the window.
 */
export interface BudgetPolicy {
  maxRestarts: number;
  windowMs: number;
  backoffMs: number;
}

export class RestartBudget {
  readonly #policy: BudgetPolicy;
  readonly #restarts = new Map<string, number[]>();
  readonly #now: () => number;

  constructor(policy: BudgetPolicy, now: () => number = Date.now) {
    this.#policy = policy;
    this.#now = now;
  }

  /** Restarts of this container inside the window. */
  used(container: string): number {
    return this.#recent(container).length;
  }

  spent(container: string): boolean {
    return this.used(container) >= this.#policy.maxRestarts;
  }

  /** The wait before the next restart: backoff × 2^(restarts already in the window). */
  nextDelayMs(container: string): number {
    return this.#policy.backoffMs * 2 ** this.used(container);
  }

  record(container: string): number {
    const recent = this.#recent(container);
    recent.push(this.#now());
    this.#restarts.set(container, recent);
    return recent.length;
  }

  forget(container: string): void {
    this.#restarts.delete(container);
  }

  #recent(container: string): number[] {
    const since = this.#now() - this.#policy.windowMs;
    return (this.#restarts.get(container) ?? []).filter((at) => at > since);
  }
}
