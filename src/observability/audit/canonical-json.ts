import { createHash } from "node:crypto";
import { AutopilotError } from "../../errors/autopilot-error.ts";

/**
 * Canonical JSON: one byte form per value, so a hash computed today is recomputed identically by
 * `audit verify` next year, and two equal objects digest the same whatever order their keys were
 * built in. JSON.stringify alone is not enough (key order follows insertion).
 *
 * Follows RFC 8785 (JCS) for the values we store: keys sorted by UTF-16 code units (JavaScript's
 * default sort, which is RFC 8785's rule; it differs from code-point order only for keys mixing
 * characters above U+FFFF with U+E000..U+FFFF), no whitespace, arrays in order. RFC 8785 formats
 * numbers exactly as ECMAScript's Number-to-String, which is what JSON.stringify does, and its
 * string escaping is JSON.stringify's too. Hand-written because that is all it takes: about
 * thirty lines instead of a dependency in the audit log's trust path.
 *
 * JSON.stringify's leniencies are kept where harmless and refused where a hash would silently
 * lie: `undefined` object members are dropped (and become null in arrays), `toJSON` is honoured
 * (dates), but NaN/Infinity, bigint, functions, symbols and cycles are errors.
 */
export function canonicalJson(value: unknown): string {
  return write(value, "$", []);
}

/** sha256 (lowercase hex) of the canonical JSON; the before/after digest of an object. */
export function digestOf(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function write(value: unknown, where: string, ancestors: object[]): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw unhashable(where, `the non-finite number ${value}`);
      return JSON.stringify(value);
    case "object":
      return writeObject(value, where, ancestors);
    default:
      throw unhashable(where, `a value of type ${typeof value}`);
  }
}

function writeObject(value: object, where: string, ancestors: object[]): string {
  if (ancestors.includes(value)) throw unhashable(where, "a circular reference");
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return write(toJSON.call(value), where, ancestors);
  const inside = [...ancestors, value];
  if (Array.isArray(value)) {
    const items = value.map((item, index) =>
      item === undefined ? "null" : write(item, `${where}[${index}]`, inside),
    );
    return `[${items.join(",")}]`;
  }
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${write(record[key], `${where}.${key}`, inside)}`);
  return `{${members.join(",")}}`;
}

function unhashable(where: string, what: string): AutopilotError {
  return new AutopilotError("invalid", `cannot write canonical JSON: ${where} is ${what}`, {
    hint: "Pass plain JSON data (strings, finite numbers, booleans, null, arrays, objects).",
  });
}
