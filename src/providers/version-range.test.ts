import { describe, expect, it } from "vitest";
import { compareVersions, parseVersion, versionWithin } from "./version-range.ts";

describe("version ranges", () => {
  it("parses release versions and ignores suffixes", () => {
    expect(parseVersion("2026.8.3")).toEqual([2026, 8, 3]);
    expect(parseVersion("v13.0.1-security")).toEqual([13, 0, 1]);
    expect(parseVersion("11")).toEqual([11, 0, 0]);
    expect(parseVersion("main")).toBeUndefined();
  });

  it("compares part by part", () => {
    expect(compareVersions([2026, 8], [2026, 10])).toBeLessThan(0);
    expect(compareVersions([13, 1], [13, 0, 9])).toBeGreaterThan(0);
    expect(compareVersions([1], [1, 0, 0])).toBe(0);
  });

  it("checks major.minor against a range", () => {
    expect(versionWithin("2026.8.3", "2026.8", "2026.8")).toBe(true);
    expect(versionWithin("2026.5.1", "2026.8", "2026.8")).toBe(false);
    expect(versionWithin("12.3.0", "11.0", "13.99", 2)).toBe(true);
    expect(versionWithin("14.0.0", "11.0", "13.99", 2)).toBe(false);
    expect(versionWithin("garbage", "1", "2")).toBe(false);
  });
});
