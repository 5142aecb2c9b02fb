import { z } from "zod";
import { diffFields } from "../../../engine/field-diff.ts";
import type { ResourceKind } from "../../../engine/resource-kind.ts";
import { callAuthentik, listAll } from "../api-call.ts";
import { UserTypeEnum } from "../client.ts";
import { resolveLookups } from "../lookups.ts";
import type { AuthentikSession } from "../session.ts";
import { observed, patchOf } from "./kind-helpers.ts";

export interface UserSpec extends Record<string, unknown> {
  username: string;
  name: string;
  email?: string;
  isActive: boolean;
  type?: "internal" | "external" | "service_account";
  /** Group uuids (in the desired state: outputs of group resources, or lookups by name). */
  groups: string[];
}

const userSchema = z
  .object({
    pk: z.number(),
    username: z.string(),
    name: z.string(),
    email: z.string().optional(),
    isActive: z.boolean().optional(),
    groups: z.array(z.string()).optional(),
    type: z.string().optional(),
  })
  .passthrough();
export type ObservedUser = z.infer<typeof userSchema>;

const USER_TYPES: Record<NonNullable<UserSpec["type"]>, UserTypeEnum> = {
  internal: UserTypeEnum.Internal,
  external: UserTypeEnum.External,
  service_account: UserTypeEnum.ServiceAccount,
};

/**
 * Users, keyed by username. Group membership is set here, with a PATCH of the whole `groups`
 * list (a PUT without `groups` would clear them). Passwords are never set by Autopilot.
 */
export const userKind: ResourceKind<UserSpec, ObservedUser, AuthentikSession> = {
  kind: "user",
  dependsOnKinds: ["group"],
  keyOf: (user) => user.username,
  idOf: (user) => String(user.pk),
  prepare: (session, spec) => resolveLookups(spec, session.lookups),
  async list(session) {
    const all = await listAll(session.http, (page, pageSize) =>
      session.core.coreUsersList({ page, pageSize }),
    );
    return all.map((user) => observed(userSchema, "user", user));
  },
  diff: (spec, user) => diffFields(spec, { ...user, groups: user.groups ?? [] }, { unordered: ["groups"] }),
  async create(session, spec) {
    const created = await callAuthentik(session.http, () =>
      session.core.coreUsersCreate({ userRequest: requestOf(spec) as never }),
    );
    return observed(userSchema, "user", created);
  },
  async update(session, spec, user, changes) {
    const updated = await callAuthentik(session.http, () =>
      session.core.coreUsersPartialUpdate({
        id: user.pk,
        patchedUserRequest: requestOf(patchOf(spec, changes)) as never,
      }),
    );
    return observed(userSchema, "user", updated);
  },
  async delete(session, user) {
    await callAuthentik(session.http, () => session.core.coreUsersDestroy({ id: user.pk }));
  },
  output: (user, field) => user[field],
};

function requestOf(spec: Partial<UserSpec>): Record<string, unknown> {
  return spec.type === undefined ? spec : { ...spec, type: USER_TYPES[spec.type] };
}
