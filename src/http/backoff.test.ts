import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffCap, fullJitterDelay } from "./backoff.ts";

const options = { initialDelayMs: 200, maxDelayMs: 5000 };

describe("full jitter backoff", () => {
  it("doubles the cap on every retry until maxDelay", () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((retry) => backoffCap(retry, options))).toEqual([
      200, 400, 800, 1600, 3200, 5000, 5000,
    ]);
  });

  it("draws every delay from [0, cap]", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (retry, draw) => {
          const delay = fullJitterDelay(retry, options, () => draw);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(backoffCap(retry, options));
          expect(delay).toBeLessThanOrEqual(options.maxDelayMs);
        },
      ),
    );
  });

  it("spans the whole window: 0 at the lowest draw, nearly the cap at the highest", () => {
    expect(fullJitterDelay(3, options, () => 0)).toBe(0);
    expect(fullJitterDelay(3, options, () => 0.9999)).toBe(1599);
  });
});
