/**
 * Collapses a burst of triggers into one call after `delayMs` of quiet (at most `maxWaitMs`
 * after the first), remembering why: twenty container events become one reconcile.
 */
export class Debouncer {
  readonly #run: (reasons: string[]) => void;
  readonly #delayMs: number;
  readonly #maxWaitMs: number;
  #timer: NodeJS.Timeout | undefined;
  #firstAt = 0;
  #reasons: string[] = [];

  constructor(run: (reasons: string[]) => void, delayMs: number, maxWaitMs = delayMs * 5) {
    this.#run = run;
    this.#delayMs = delayMs;
    this.#maxWaitMs = maxWaitMs;
  }

  trigger(reason: string): void {
    const now = Date.now();
    if (this.#reasons.length === 0) this.#firstAt = now;
    if (!this.#reasons.includes(reason)) this.#reasons.push(reason);
    if (this.#timer) clearTimeout(this.#timer);
    const wait = Math.max(0, Math.min(this.#delayMs, this.#firstAt + this.#maxWaitMs - now));
    this.#timer = setTimeout(() => this.flush(), wait);
    this.#timer.unref();
  }

  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const reasons = this.#reasons;
    this.#reasons = [];
    if (reasons.length > 0) this.#run(reasons);
  }

  cancel(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#reasons = [];
  }
}
