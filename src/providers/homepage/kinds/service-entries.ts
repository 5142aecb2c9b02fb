import { isDeepStrictEqual } from "node:util";
import type { FieldChange } from "../../../engine/field-diff.ts";
import type { ResourceKind } from "../../../engine/resource-kind.ts";
import {
  listServiceEntries,
  removeServiceEntry,
  type ServiceEntry,
  serviceKey,
  upsertServiceEntry,
} from "../services-document.ts";
import type { HomepageSession } from "../session.ts";

export interface ServiceEntrySpec extends Record<string, unknown>, ServiceEntry {}

/**
 * One tile in services.yaml, keyed "Group/Name" (how Homepage's widget proxy finds it). Autopilot
 * owns the entries it created and rewrites them whole: a key the user added to one of them is
 * drift and is removed. Entries it did not create are the user's: a desired entry with the same
 * group and name is a conflict until `autopilot adopt homepage/service/Group/Name`.
 */
export const serviceEntryKind: ResourceKind<ServiceEntrySpec, ServiceEntry, HomepageSession> = {
  kind: "service",
  dependsOnKinds: ["secret-file"],
  keyOf: (entry) => serviceKey(entry.group, entry.name),
  list: async (session) => listServiceEntries(await session.services.read()),
  diff: (spec, observed) => entryChanges(spec.entry, observed.entry),
  async create(session, spec) {
    await session.services.edit((document) => upsertServiceEntry(document, spec));
    return { group: spec.group, name: spec.name, entry: spec.entry };
  },
  async update(session, spec) {
    await session.services.edit((document) => upsertServiceEntry(document, spec));
    return { group: spec.group, name: spec.name, entry: spec.entry };
  },
  async delete(session, observed) {
    await session.services.edit((document) => removeServiceEntry(document, observed.group, observed.name));
  },
  output: (entry, field) => (entry as unknown as Record<string, unknown>)[field],
};

/** Top-level keys of the entry that differ, including keys to remove (`after` undefined). */
export function entryChanges(
  desired: Record<string, unknown>,
  observed: Record<string, unknown>,
): FieldChange[] {
  const keys = [...new Set([...Object.keys(desired), ...Object.keys(observed)])];
  return keys
    .filter((key) => !isDeepStrictEqual(normalised(desired[key]), normalised(observed[key])))
    .map((key) => ({ path: `entry.${key}`, before: observed[key], after: desired[key] }));
}

/** What survives a YAML round trip: the desired side may hold undefined where the file has nothing. */
function normalised(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}
