import { isDeepStrictEqual } from "node:util";
import type { FieldChange } from "../../../engine/field-diff.ts";

/**
 * What Grafana manages in a dashboard model, never the author: the numeric `id`, the `uid` (the
 * key, compared on its own), `version` (bumped on every save), `iteration`, and `schemaVersion`
 * (rewritten upward when Grafana migrates a model). Comparing raw JSON would see all of these
 * as drift on every run (grizzly #131, grafana #104249).
 */
const MANAGED_BY_GRAFANA = new Set(["id", "uid", "version", "iteration", "schemaVersion"]);

/** The model without the fields Grafana manages, and without null top-level values. */
export function normaliseDashboard(model: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(model).filter(
      ([key, value]) => !MANAGED_BY_GRAFANA.has(key) && value !== null && value !== undefined,
    ),
  );
}

const MAX_DEPTH = 4;
const MAX_SHOWN = 160;

/**
 * Where two normalised models differ, as field changes: objects key by key and arrays of the
 * same length item by item (`model.panels[2].targets`), down to a few levels; long values are
 * summarised so a plan stays readable. Keys present on one side only count: the dashboard is
 * Autopilot's, so a panel added in the UI is drift too.
 */
export function modelChanges(prefix: string, want: unknown, have: unknown, depth = 0): FieldChange[] {
  if (isDeepStrictEqual(want, have)) return [];
  if (depth < MAX_DEPTH && isRecord(want) && isRecord(have)) {
    const keys = [...new Set([...Object.keys(want), ...Object.keys(have)])].sort();
    return keys.flatMap((key) => modelChanges(`${prefix}.${key}`, want[key], have[key], depth + 1));
  }
  if (depth < MAX_DEPTH && Array.isArray(want) && Array.isArray(have) && want.length === have.length) {
    return want.flatMap((item, index) => modelChanges(`${prefix}[${index}]`, item, have[index], depth + 1));
  }
  return [{ path: prefix, before: shown(have), after: shown(want) }];
}

function shown(value: unknown): unknown {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value);
  if (text.length <= MAX_SHOWN) return value;
  if (Array.isArray(value)) return `(${value.length} items)`;
  return `(${text.length} characters of JSON)`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
