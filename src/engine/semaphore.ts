/**
 * Counts concurrent work (writes to one target, actions in progress). Hand-written (a dozen lines) because cockatiel's
 * bulkhead rejects when its queue is full, while the executor must simply wait its turn.
 */
export class Semaphore {
  readonly #limit: number;
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  /** `limit` is a whole number of at least 1, or Infinity for no limit. */
  constructor(limit: number) {
    if (!(Number.isInteger(limit) || limit === Number.POSITIVE_INFINITY) || limit < 1)
      throw new RangeError("a semaphore needs a limit of at least 1");
    this.#limit = limit;
  }

  get active(): number {
    return this.#active;
  }

  async acquire(): Promise<void> {
    if (this.#active < this.#limit) {
      this.#active += 1;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  /** Runs `work` holding one slot. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next)
      next(); // the slot passes straight to the next waiter
    else this.#active -= 1;
  }
}
