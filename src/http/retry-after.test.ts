import { describe, expect, it } from "vitest";
import { MAX_RETRY_AFTER_MS, parseRetryAfter, retryAfterDelay } from "./retry-after.ts";

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-03-01T12:00:00Z");

  it("reads seconds", () => {
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
  });

  it("reads an HTTP date relative to now", () => {
    expect(parseRetryAfter("Sun, 01 Mar 2026 12:00:07 GMT", now)).toBe(7000);
  });

  it("treats a date in the past as no wait", () => {
    expect(parseRetryAfter("Sun, 01 Mar 2026 11:00:00 GMT", now)).toBe(0);
  });

  it("ignores absent, negative and unreadable values", () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("2026-03-01", now)).toBeUndefined();
    expect(parseRetryAfter("Xyz, 99 Foo 2026 99:99:99 GMT", now)).toBeUndefined();
  });
});

describe("retryAfterDelay", () => {
  it("waits what the server asks, up to the cap", () => {
    expect(retryAfterDelay(2500)).toBe(2500);
    expect(retryAfterDelay(3_600_000)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryAfterDelay(-1)).toBe(0);
  });
});
