/**
 * Spreads local work over turns of the event loop: `next()` resolves in a later turn, and at
 * most `perTurn` callers go through per turn, in the order they asked. Between turns Node reads
 * the sockets, so a burst of bookkeeping (500 Homepage tiles written in one batch finish at
 * once) cannot hold back the answers other targets already sent, whose connections would sit
 * idle meanwhile. Hand-written: it is a queue and one setImmediate, and no scheduler library
 * we could adopt yields to Node's I/O phase.
 */
export class TurnSlicer {
  readonly #perTurn: number;
  readonly #waiting: (() => void)[] = [];
  #scheduled = false;

  constructor(perTurn: number) {
    if (!Number.isInteger(perTurn) || perTurn < 1)
      throw new RangeError("a turn slicer lets at least 1 caller through per turn");
    this.#perTurn = perTurn;
  }

  /** How many callers wait for a turn. */
  get waiting(): number {
    return this.#waiting.length;
  }

  next(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#waiting.push(resolve);
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      for (const resolve of this.#waiting.splice(0, this.#perTurn)) resolve();
      if (this.#waiting.length > 0) this.#schedule();
    });
  }
}
