import { hash } from "node:crypto";
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
  const out = { text: "" };
  write(value, out, [], []);
  return out.text;
}

/** sha256 (lowercase hex) of the canonical JSON; the before/after digest of an object. */
export function digestOf(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

export function sha256Hex(text: string): string {
  return hash("sha256", text, "hex"); // one-shot: no Hash object per digest (thousands per apply)
}

// One growing string, and the path to the current value kept as a stack that becomes text only
// for an error message: every apply digests thousands of server objects (the before and after
// of each audited write), so this runs hot and allocates nothing it does not have to.
type Path = (string | number)[];

function write(value: unknown, out: { text: string }, ancestors: object[], path: Path): void {
  if (value === null) {
    out.text += "null";
    return;
  }
  switch (typeof value) {
    case "string":
      out.text += JSON.stringify(value);
      return;
    case "boolean":
      out.text += value ? "true" : "false";
      return;
    case "number":
      if (!Number.isFinite(value)) throw unhashable(path, `the non-finite number ${value}`);
      out.text += JSON.stringify(value);
      return;
    case "object":
      writeObject(value, out, ancestors, path);
      return;
    default:
      throw unhashable(path, `a value of type ${typeof value}`);
  }
}

function writeObject(value: object, out: { text: string }, ancestors: object[], path: Path): void {
  if (ancestors.includes(value)) throw unhashable(path, "a circular reference");
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") {
    write(toJSON.call(value), out, ancestors, path);
    return;
  }
  ancestors.push(value);
  if (Array.isArray(value)) {
    out.text += "[";
    for (let index = 0; index < value.length; index++) {
      if (index > 0) out.text += ",";
      const item: unknown = value[index];
      if (item === undefined) {
        out.text += "null";
        continue;
      }
      path.push(index);
      write(item, out, ancestors, path);
      path.pop();
    }
    out.text += "]";
  } else {
    const record = value as Record<string, unknown>;
    out.text += "{";
    let first = true;
    for (const key of Object.keys(record).sort()) {
      const item = record[key];
      if (item === undefined) continue;
      if (!first) out.text += ",";
      first = false;
      out.text += quotedKey(key);
      path.push(key);
      write(item, out, ancestors, path);
      path.pop();
    }
    out.text += "}";
  }
  ancestors.pop();
}

/**
 * `"key":` for a member name. Objects of one kind share their member names, so the quoted form
 * is kept (up to a bound: keys come from servers too) instead of escaping each again.
 */
const quotedKeys = new Map<string, string>();
const MAX_QUOTED_KEYS = 10_000;

function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = `${JSON.stringify(key)}:`;
    if (quotedKeys.size < MAX_QUOTED_KEYS) quotedKeys.set(key, quoted);
  }
  return quoted;
}

function unhashable(path: Path, what: string): AutopilotError {
  const where = `$${path.map((step) => (typeof step === "number" ? `[${step}]` : `.${step}`)).join("")}`;
  return new AutopilotError("invalid", `cannot write canonical JSON: ${where} is ${what}`, {
    hint: "Pass plain JSON data (strings, finite numbers, booleans, null, arrays, objects).",
  });
}
