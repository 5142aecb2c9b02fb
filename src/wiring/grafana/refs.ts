import { createHash } from "node:crypto";
import type { ResourceRef } from "../../engine/resource.ts";

/** A reference to a Grafana object of `kind` by its natural key. */
export function grafanaRef(kind: string, key: string): ResourceRef {
  return { target: "grafana", kind, key };
}

const MAX_UID = 40;

/**
 * A stable Grafana uid from a name, for objects the config names without one: lower-case,
 * [a-z0-9-], at most 40 characters. A name that does not fit (too long, or no Latin letters
 * left) gets a short hash of itself, so two different names never share a uid.
 */
export function uidFromName(name: string, prefix = ""): string {
  const slug = name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  const whole = `${prefix}${slug}`;
  if (slug !== "" && whole.length <= MAX_UID) return whole;
  const hash = createHash("sha256").update(name, "utf8").digest("hex").slice(0, 8);
  return `${whole.slice(0, MAX_UID - hash.length - 1).replace(/-+$/, "")}-${hash}`.replace(/^-/, "");
}
