import { isDeepStrictEqual } from "node:util";
import { canonicalJson } from "../observability/audit/canonical-json.ts";

/** One field that differs: `before` is what the target has, `after` what the config wants. */
export interface FieldChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
  /** A secret: plans show that it changes, never the values. */
  readonly sensitive?: boolean;
}

/** A desired value that exists only once another resource has been created in this apply. */
export const KNOWN_AFTER_APPLY: { readonly $knownAfterApply: true } = Object.freeze({
  $knownAfterApply: true,
});

export function isKnownAfterApply(value: unknown): boolean {
  return typeof value === "object" && value !== null && "$knownAfterApply" in value;
}

export interface DiffOptions {
  /** Dotted paths of arrays whose order does not matter (compared as sets). */
  unordered?: readonly string[];
  /** Dotted paths holding secrets. */
  sensitive?: readonly string[];
}

/**
 * Compares only what the desired side says: keys the server adds (ids, timestamps, computed
 * fields) are ignored, so a second apply sees no change. Objects are compared key by key,
 * arrays as a whole (or as sets where declared), `undefined` desired values mean "not managed".
 */
export function diffFields(
  desired: Record<string, unknown>,
  observed: Record<string, unknown>,
  options: DiffOptions = {},
  prefix = "",
): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [key, want] of Object.entries(desired)) {
    if (want === undefined) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    const have = observed[key];
    if (isPlainObject(want) && !isKnownAfterApply(want) && isPlainObject(have)) {
      changes.push(...diffFields(want, have, options, path));
      continue;
    }
    if (!valuesEqual(want, have, options.unordered?.includes(path) ?? false)) {
      const sensitive = options.sensitive?.includes(path) ?? false;
      changes.push(
        sensitive ? { path, before: have, after: want, sensitive } : { path, before: have, after: want },
      );
    }
  }
  return changes;
}

function valuesEqual(want: unknown, have: unknown, unordered: boolean): boolean {
  if (isKnownAfterApply(want)) return false;
  if (unordered && Array.isArray(want) && Array.isArray(have)) {
    if (want.length !== have.length) return false;
    const sortCanonical = (items: unknown[]) => items.map((item) => canonicalJson(item)).sort();
    return isDeepStrictEqual(sortCanonical(want), sortCanonical(have));
  }
  return isDeepStrictEqual(normalise(want), normalise(have));
}

/** Treats a missing value and null alike: servers often send null for an unset optional field. */
function normalise(value: unknown): unknown {
  return value === undefined ? null : value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
