/**
 * The simulator's notion of "now". Tests move it forward to expire tokens without waiting.
 */
export class Clock {
  #offsetMs = 0;

  now(): number {
    return Date.now() + this.#offsetMs;
  }

  advance(ms: number): void {
    this.#offsetMs += ms;
  }
}

/**
 * How the real server prints a datetime: ISO 8601 in UTC with microseconds and a Z (orjson with
 * OPT_UTC_Z). JavaScript only has milliseconds, so the last three digits are always zero.
 */
export function formatTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

export const DAY_MS = 24 * 60 * 60 * 1000;
