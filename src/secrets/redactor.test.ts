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

  it("masks exactly what a character-by-character scan masks: leftmost first, longest there", () => {
    // The reference: at each position, the longest registered value starting there, else move on.
    const naive = (values: string[], text: string) => {
      const sorted = [...values].sort((a, b) => b.length - a.length);
      let out = "";
      for (let i = 0; i < text.length; ) {
        const found = sorted.find((value) => text.startsWith(value, i));
        if (found === undefined) out += text[i++];
        else {
          out += MASK;
          i += found.length;
        }
      }
      return out;
    };
    const unit = fc.constantFrom("a", "b", "c", "A", "!", "0", "é", "{", '"');
    const value = fc.string({ unit, minLength: 4, maxLength: 40 });
    fc.assert(
      fc.property(
        fc.uniqueArray(value, { minLength: 1, maxLength: 12 }),
        fc.array(fc.string({ unit, maxLength: 30 })),
        (values, fillers) => {
          const local = new Redactor();
          for (const secret of values) local.register(secret);
          // Every registered form (JSON, URL, base64 too), as the redactor holds them.
          const forms = values.flatMap((secret) => [
            secret,
            JSON.stringify(secret).slice(1, -1),
            encodeURIComponent(secret),
            Buffer.from(secret).toString("base64").replace(/=+$/, ""),
          ]);
          const text = fillers.map((filler, i) => filler + (values[i % values.length] ?? "")).join("");
          expect(local.redact(text)).toBe(naive(forms, text));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("finds values at the very start and end of a text and between windows of long ones", () => {
    redactor.register("four");
    redactor.register("a-much-longer-secret-value-0123456789");
    expect(redactor.redact("four")).toBe(MASK);
    expect(redactor.redact("xfour")).toBe(`x${MASK}`);
    expect(redactor.redact("fourx")).toBe(`${MASK}x`);
    const long = "a-much-longer-secret-value-0123456789";
    expect(redactor.redact(`${"z".repeat(1000)}${long}${"z".repeat(7)}four`)).toBe(
      `${"z".repeat(1000)}${MASK}${"z".repeat(7)}${MASK}`,
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
