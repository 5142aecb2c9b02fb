import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { MASK, Redactor } from "./redactor.ts";

describe("Redactor", () => {
  const redactor = new Redactor();
  afterEach(() => redactor.clear());

  it("masks a registered value wherever it appears in a text", () => {
    redactor.register("s3cr3t-value");
    expect(redactor.redact("token=s3cr3t-value; again s3cr3t-value")).toBe(`token=${MASK}; again ${MASK}`);
  });

  it("masks the JSON-escaped, URL-encoded and base64 forms too", () => {
    const secret = 'pa"ss/wo rd\\x';
    redactor.register(secret);
    const json = JSON.stringify({ password: secret });
    expect(redactor.redact(json)).not.toContain("wo rd");
    expect(redactor.redact(`https://h/?p=${encodeURIComponent(secret)}`)).toBe(`https://h/?p=${MASK}`);
    const basic = Buffer.from(secret).toString("base64");
    expect(redactor.redact(`Basic ${basic}`)).not.toContain(basic.replace(/=+$/, ""));
  });

  it("masks the longer of two overlapping secrets whole", () => {
    redactor.register("abcd");
    redactor.register("abcdefgh");
    expect(redactor.redact("xabcdefghx")).toBe(`x${MASK}x`);
  });

  it("treats regular-expression characters in secrets literally", () => {
    redactor.register("a.b*c+(d)");
    expect(redactor.redact("a.b*c+(d) aXbbc")).toBe(`${MASK} aXbbc`);
  });

  it("copes with thousands of registered secrets and very long ones", () => {
    const secrets = Array.from({ length: 3000 }, (_, i) => `secret-value-${i}-${"x".repeat(40)}`);
    for (const secret of secrets) redactor.register(secret);
    const long = "L".repeat(30_000);
    redactor.register(long);
    expect(redactor.redact(`a ${secrets[2999]} b ${secrets[0]} c`)).toBe(`a ${MASK} b ${MASK} c`);
    expect(redactor.redact(`<${long}>`)).toBe(`<${MASK}>`);
  });

  it("leaves no registered value in any text, however the values overlap or touch", () => {
    // Characters that cannot form part of the mask, so a surviving value is a real miss.
    const chunk = fc.string({
      unit: fc.constantFrom("0", "1", "2", "x", "y", "%", "é", "😀"),
      maxLength: 12,
    });
    const secret = fc.string({
      unit: fc.constantFrom("0", "1", "2", "x", "y", "é", "😀"),
      minLength: 4,
      maxLength: 12,
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(secret, { minLength: 1, maxLength: 8 }),
        fc.array(chunk),
        (secrets, fillers) => {
          const local = new Redactor();
          for (const value of secrets) local.register(value);
          const text = fillers.map((filler, i) => filler + (secrets[i % secrets.length] ?? "")).join("");
          const masked = local.redact(text);
          for (const value of secrets) expect(masked).not.toContain(value);
          if (!secrets.some((value) => text.includes(value))) expect(masked).toBe(text);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("ignores values too short to mask safely", () => {
    redactor.register("abc");
    expect(redactor.size).toBe(0);
    expect(redactor.redact("abc")).toBe("abc");
  });

  it("redacts nested values and keys without changing the original", () => {
    redactor.register("hunter22");
    const original = { a: ["x hunter22"], b: { hunter22: 1, n: 5, d: null }, when: new Date(0) };
    const copy = redactor.redactValue(original);
    expect(copy).toEqual({ a: [`x ${MASK}`], b: { [MASK]: 1, n: 5, d: null }, when: new Date(0) });
    expect(original.a[0]).toBe("x hunter22");
  });

  it("copes with cycles", () => {
    redactor.register("hunter22");
    const cyclic: Record<string, unknown> = { v: "hunter22" };
    cyclic.self = cyclic;
    const copy = redactor.redactValue(cyclic);
    expect(copy.v).toBe(MASK);
    expect(copy.self).toBe(copy);
  });
});
