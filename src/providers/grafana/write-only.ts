import { createHash } from "node:crypto";
import type { FieldChange } from "../../engine/field-diff.ts";

/**
 * Grafana never returns secrets (datasource secureJsonData, contact point secrets, the SSO
 * client secret). Autopilot records the sha256 of each value it writes (the engine keeps it as
 * a write-only digest) and compares digests: a secret changes only when the config's value
 * changes or the server lost it, never on every run.
 */
export function secretDigest(value: string): string {
  return `sha256:${createHash("sha256").update(value, "utf8").digest("hex")}`;
}

/**
 * The change of one write-only value, or none: `present` says whether the server holds a value
 * at all; `prior` is the digest recorded at the last write.
 */
export function writeOnlyChange(
  path: string,
  desired: string,
  present: boolean,
  prior: string | undefined,
): FieldChange | undefined {
  if (present && prior === secretDigest(desired)) return undefined;
  return { path, before: present ? "(set)" : undefined, after: desired, sensitive: true };
}
