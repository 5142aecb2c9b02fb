import { z } from "zod";
import { diffFields } from "../../../engine/field-diff.ts";
import type { ResourceKind } from "../../../engine/resource-kind.ts";
import { callAuthentik, listAll } from "../api-call.ts";
import { resolveLookups } from "../lookups.ts";
import type { AuthentikSession } from "../session.ts";
import { observed, patchOf } from "./kind-helpers.ts";

export interface GroupSpec extends Record<string, unknown> {
  name: string;
  isSuperuser: boolean;
  /** Parent group uuids (in the desired state: outputs of group resources, or lookups by name). */
  parents: string[];
  attributes: Record<string, unknown>;
}

const groupSchema = z
  .object({
    pk: z.string(),
    name: z.string(),
    isSuperuser: z.boolean().optional(),
    parents: z.array(z.string()).optional(),
    attributes: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();
export type ObservedGroup = z.infer<typeof groupSchema>;

/**
 * Groups, keyed by name (unique since groups became a DAG). Membership is managed from the
 * users' side (`user.groups`), never with a group PUT, which would empty `users`.
 */
export const groupKind: ResourceKind<GroupSpec, ObservedGroup, AuthentikSession> = {
  kind: "group",
  keyOf: (group) => group.name,
  idOf: (group) => group.pk,
  prepare: (session, spec) => resolveLookups(spec, session.lookups),
  async list(session) {
    const all = await listAll(session.http, (page, pageSize) =>
      session.core.coreGroupsList({ page, pageSize, includeUsers: false }),
    );
    return all.map((group) => observed(groupSchema, "group", group));
  },
  diff: (spec, group) =>
    diffFields(spec, { ...group, attributes: group.attributes ?? {} }, { unordered: ["parents"] }),
  async create(session, spec) {
    const created = await callAuthentik(session.http, () =>
      session.core.coreGroupsCreate({ groupRequest: spec }),
    );
    return observed(groupSchema, "group", created);
  },
  async update(session, spec, group, changes) {
    const body = patchOf(spec, changes);
    // Attributes others added stay: only the keys the config names are set.
    if (body.attributes) body.attributes = { ...(group.attributes ?? {}), ...spec.attributes };
    const updated = await callAuthentik(session.http, () =>
      session.core.coreGroupsPartialUpdate({ groupUuid: group.pk, patchedGroupRequest: body }),
    );
    return observed(groupSchema, "group", updated);
  },
  async delete(session, group) {
    await callAuthentik(session.http, () => session.core.coreGroupsDestroy({ groupUuid: group.pk }));
  },
  output: (group, field) => (field === "pk" ? group.pk : group[field]),
};
