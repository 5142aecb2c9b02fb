/**
 * The simulator's notion of "now". Token expiry, `created`/`updated` stamps and
 * secondsUntilExpiration all read it, so a test can move time forward instead of sleeping.
 */
export class SimClock {
  #offsetMs = 0;
  readonly #base: () => number;

  constructor(base: () => number = Date.now) {
    this.#base = base;
  }

  now(): number {
    return this.#base() + this.#offsetMs;
  }

  iso(): string {
    return new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  advance(seconds: number): void {
    this.#offsetMs += seconds * 1000;
  }
}

/** Go's zero time.Time, which Grafana serialises for unset non-pointer timestamps. */
export const GO_ZERO_TIME = "0001-01-01T00:00:00Z";
