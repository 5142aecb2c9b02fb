/**
 * Counts concurrent writes to one target. Hand-written (a dozen lines) because cockatiel's
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

  release(): void {
    const next = this.#waiting.shift();
    if (next)
      next(); // the slot passes straight to the next waiter
    else this.#active -= 1;
  }
}
