import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, digestOf } from "./canonical-json.ts";

describe("canonicalJson", () => {
  it("sorts keys at every depth and writes no whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: "x" } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it("escapes member names the same way every time they are seen", () => {
    const value = JSON.parse('{"a\\"b":1,"line\\nbreak":2,"__proto__":3,"ü":4}') as Record<string, number>;
    const expected = '{"__proto__":3,"a\\"b":1,"line\\nbreak":2,"ü":4}';
    expect(canonicalJson(value)).toBe(expected);
    expect(canonicalJson(value)).toBe(expected);
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });

  it("sorts keys by UTF-16 code units as RFC 8785 does", () => {
    // RFC 8785 §3.2.3 example order: "\r" < "1" < "\u0080" < "\u00f6" < "\u20ac" < "\ud83d\ude00" < "\ufb33"
    const keys = ["\ufb33", "\ud83d\ude00", "\u20ac", "\u00f6", "\u0080", "1", "\r"];
    const object = Object.fromEntries(keys.map((key) => [key, 0]));
    // Compared as text: Object.keys would list the integer-like key "1" first whatever the JSON says.
    const expected = ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\ud83d\ude00", "\ufb33"];
    expect(canonicalJson(object)).toBe(`{${expected.map((key) => `${JSON.stringify(key)}:0`).join(",")}}`);
  });

  it("writes numbers and strings as RFC 8785 does", () => {
    expect(canonicalJson([1, -0, 0.1, 1e21, 1.5e-7, 333333333.3333333])).toBe(
      "[1,0,0.1,1e+21,1.5e-7,333333333.3333333]",
    );
    expect(canonicalJson('quote " backslash \\ tab \t nl \n bell \u0007 é €')).toBe(
      '"quote \\" backslash \\\\ tab \\t nl \\n bell \\u0007 é €"',
    );
  });

  it("drops undefined members, writes undefined array items as null and honours toJSON", () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1], at: new Date(0) })).toBe(
      '{"at":"1970-01-01T00:00:00.000Z","b":[null,1]}',
    );
  });

  it("refuses values a hash could not represent faithfully", () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/\$\.n is the non-finite number NaN/);
    expect(() => canonicalJson([Number.POSITIVE_INFINITY])).toThrow(/\$\[0\] is the non-finite/);
    expect(() => canonicalJson({ a: [0, { b: Number.NaN }] })).toThrow(/\$\.a\[1\]\.b is the non-finite/);
    expect(() => canonicalJson({ big: 10n })).toThrow(/bigint/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
    expect(() => canonicalJson(undefined)).toThrow(/undefined/);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => canonicalJson(loop)).toThrow(/circular/);
  });

  it("accepts the same object twice when it is not a cycle", () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });

  it("is valid JSON that parses back to the same value, whatever the key order", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it("does not depend on the order keys were inserted in", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(record));
      }),
    );
  });
});

describe("digestOf", () => {
  it("is the sha256 hex of the canonical JSON, equal for equal objects", () => {
    const expected = createHash("sha256").update('{"a":1,"b":[true]}').digest("hex");
    expect(digestOf({ b: [true], a: 1 })).toBe(expected);
    expect(digestOf({ a: 1, b: [true] })).toBe(expected);
    expect(digestOf({ a: 2, b: [true] })).not.toBe(expected);
  });
});
