import { z } from "zod";

/**
 * Faults a simulator injects on demand (POST /__sandbox/faults). Rates are probabilities per
 * request; they are checked in a fixed order so one request suffers at most one fault.
 */
export const faultSettingsSchema = z
  .object({
    latencyMs: z.number().int().min(0).max(60_000).optional(),
    errorRate: z.number().min(0).max(1).optional(),
    throttleRate: z.number().min(0).max(1).optional(),
    resetRate: z.number().min(0).max(1).optional(),
    lostResponseRate: z.number().min(0).max(1).optional(),
    /** true: down until cleared; a number: down for that many milliseconds. */
    down: z.union([z.boolean(), z.number().int().min(0).max(3_600_000)]).optional(),
    /** Seconds announced in Retry-After on throttled answers (default 1). */
    retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
    /** Status used for injected errors (default 503). */
    errorStatus: z.number().int().min(500).max(599).optional(),
  })
  .strict();

export type FaultSettings = z.infer<typeof faultSettingsSchema>;

/** What happens to one request. */
export type FaultDecision =
  | { kind: "down" } // connection dropped before any byte is read
  | { kind: "reset" } // connection reset before the request is processed
  | { kind: "throttle"; retryAfterSeconds: number }
  | { kind: "error"; status: number }
  | { kind: "lose-response" } // processed and committed, then the connection is dropped
  | { kind: "none" };

export class FaultInjector {
  #settings: FaultSettings = {};
  #downUntil = 0;
  readonly #random: () => number;
  readonly #now: () => number;

  constructor(options: { random?: () => number; now?: () => number } = {}) {
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
  }

  /** Replaces every setting; `{}` clears all faults. */
  set(settings: FaultSettings): void {
    this.#settings = { ...settings };
    this.#downUntil =
      settings.down === true
        ? Number.POSITIVE_INFINITY
        : typeof settings.down === "number"
          ? this.#now() + settings.down
          : 0;
  }

  get settings(): FaultSettings {
    return { ...this.#settings };
  }

  get latencyMs(): number {
    return this.#settings.latencyMs ?? 0;
  }

  isDown(): boolean {
    return this.#now() < this.#downUntil;
  }

  decide(): FaultDecision {
    if (this.isDown()) return { kind: "down" };
    const s = this.#settings;
    if (this.#hit(s.resetRate)) return { kind: "reset" };
    if (this.#hit(s.throttleRate)) return { kind: "throttle", retryAfterSeconds: s.retryAfterSeconds ?? 1 };
    if (this.#hit(s.errorRate)) return { kind: "error", status: s.errorStatus ?? 503 };
    if (this.#hit(s.lostResponseRate)) return { kind: "lose-response" };
    return { kind: "none" };
  }

  #hit(rate: number | undefined): boolean {
    return rate !== undefined && rate > 0 && this.#random() < rate;
  }
}
