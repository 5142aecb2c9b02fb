import { describe, expect, it } from "vitest";
import { generateSecretValue } from "./generate.ts";
import { MASK, redactor } from "./redactor.ts";

describe("generateSecretValue", () => {
  it("makes values of the asked length from letters and digits, different every time", () => {
    const a = generateSecretValue(48);
    const b = generateSecretValue(48);
    expect(a).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(a).not.toBe(b);
  });

  it("uses the whole alphabet evenly enough", () => {
    const counts = new Map<string, number>();
    for (const char of generateSecretValue(62 * 400)) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect(counts.size).toBe(62);
    for (const count of counts.values()) expect(count).toBeGreaterThan(250);
  });

  it("registers the value with the redactor", () => {
    const value = generateSecretValue(20);
    expect(redactor.redact(`token ${value}`)).toBe(`token ${MASK}`);
  });

  it("refuses weak lengths", () => {
    expect(() => generateSecretValue(8)).toThrow(RangeError);
  });
});
