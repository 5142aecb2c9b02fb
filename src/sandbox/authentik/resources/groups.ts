import { modelRef } from "../audit-events.ts";
import { notFoundMalformed } from "../errors.ts";
import { anyOf, anyOfIntegerPk, boolean, exact, type ListSpec, parseBoolean } from "../list-query.ts";
import type { OperationContext, OperationHandler, ValidatedInput } from "../operation.ts";
import { canView, requireSuperuser } from "../operation.ts";
import type { GroupRecord, UserRecord } from "../records.ts";
import type { AuthentikState } from "../state.ts";
import { renderPartialUser, renderRelatedGroup } from "./identity-render.ts";
import { listResponse } from "./list-response.ts";
import { byUuid } from "./object-lookup.ts";
import { checkManyPks, checkUnique, uuids } from "./relation-checks.ts";

/**
 * /core/groups/. `users` holds integer user pks and defaults to [] in the serializer, so a PUT
 * that leaves it out empties the group while a PATCH leaves members alone. add_user/remove_user
 * read `pk` straight from the body (no serializer): an unknown user is a bare 404.
 */
export function groupHandlers(): OperationHandler[] {
  return [
    {
      operationId: "core_groups_list",
      handle: (ctx) => {
        const { state } = ctx;
        const spec: ListSpec<GroupRecord> = {
          filters: {
            name: exact((g) => g.name),
            is_superuser: boolean((g) => g.is_superuser),
            members_by_pk: anyOfIntegerPk(
              (g) => members(state, g).map((u) => u.pk),
              () => state.users.all().map((u) => u.pk),
            ),
            members_by_username: anyOf(
              (g) => members(state, g).map((u) => u.username),
              () => state.users.all().map((u) => u.username),
            ),
          },
          searchFields: (g) => [g.name, String(g.is_superuser)],
          ordering: ["name"],
        };
        const rows = canView(ctx) ? state.groups.all() : [];
        return listResponse(rows, ctx.query, spec, (g) => renderGroup(state, g, ctx.query));
      },
    },
    {
      operationId: "core_groups_create",
      handle: (ctx) => {
        requireSuperuser(ctx);
        const input = ctx.input();
        validate(ctx.state, input, undefined);
        const { users, ...fields } = pick(input.data, true);
        const group = ctx.state.addGroup(fields as GroupRecord);
        setMembers(ctx.state, group, users ?? []);
        ctx.record("model_created", ref(group));
        return { status: 201, body: renderGroup(ctx.state, group, ctx.query) };
      },
    },
    {
      operationId: "core_groups_retrieve",
      handle: (ctx) => ({ status: 200, body: renderGroup(ctx.state, find(ctx), ctx.query) }),
    },
    { operationId: "core_groups_update", handle: (ctx) => update(ctx, true) },
    { operationId: "core_groups_partial_update", handle: (ctx) => update(ctx, false) },
    {
      operationId: "core_groups_destroy",
      handle: (ctx) => {
        const group = find(ctx);
        ctx.state.groups.delete(group.pk);
        for (const user of ctx.state.users.all()) user.groups = user.groups.filter((pk) => pk !== group.pk);
        for (const other of ctx.state.groups.all())
          other.parents = other.parents.filter((pk) => pk !== group.pk);
        ctx.record("model_deleted", ref(group));
        return { status: 204 };
      },
    },
    { operationId: "core_groups_add_user_create", handle: (ctx) => membership(ctx, "add") },
    { operationId: "core_groups_remove_user_create", handle: (ctx) => membership(ctx, "remove") },
  ];
}

function find(ctx: OperationContext): GroupRecord {
  return byUuid(ctx.state.groups, ctx.params.group_uuid ?? "", "Group", canView(ctx));
}

function update(ctx: OperationContext, full: boolean) {
  const group = find(ctx);
  requireSuperuser(ctx);
  const input = ctx.input();
  validate(ctx.state, input, group);
  const { users, ...fields } = pick(input.data, full);
  Object.assign(group, fields);
  if (users !== undefined) setMembers(ctx.state, group, users);
  ctx.record("model_updated", ref(group));
  return { status: 200, body: renderGroup(ctx.state, group, ctx.query) };
}

function membership(ctx: OperationContext, change: "add" | "remove") {
  const group = find(ctx);
  requireSuperuser(ctx);
  const body = ctx.input().data;
  const pk = body.pk;
  const user = typeof pk === "number" ? ctx.state.users.get(pk) : undefined;
  if (!user) throw notFoundMalformed();
  const others = user.groups.filter((g) => g !== group.pk);
  user.groups = change === "add" ? [...others, group.pk] : others;
  ctx.record("model_updated", ref(group));
  return { status: 204 };
}

function validate(state: AuthentikState, input: ValidatedInput, self: GroupRecord | undefined): void {
  const { data, errors } = input;
  checkUnique(
    errors,
    "name",
    typeof data.name === "string" &&
      state.groups.find((g) => g.name === data.name && g !== self) !== undefined,
    "Group with this name already exists.",
  );
  checkManyPks<string>(errors, "parents", data.parents, (pk) => state.groups.get(pk) !== undefined);
  if (
    self &&
    Array.isArray(data.parents) &&
    !errors.has("parents") &&
    uuids(data.parents).includes(self.pk)
  ) {
    errors.add("parents", "Cannot set group as parent of itself.");
  }
  checkManyPks<number>(errors, "users", data.users, (pk) => state.users.get(pk) !== undefined);
  // Roles are not simulated, so any listed role is unknown.
  checkManyPks<string>(errors, "roles", data.roles, () => false);
  errors.throwIfAny();
}

/** The writable fields of the request; a full update defaults `users` to [] as the serializer does. */
function pick(data: Record<string, unknown>, full: boolean): Partial<GroupRecord> & { users?: number[] } {
  const out: Partial<GroupRecord> & { users?: number[] } = {};
  if ("name" in data) out.name = data.name as string;
  if ("is_superuser" in data) out.is_superuser = data.is_superuser as boolean;
  if ("parents" in data) out.parents = uuids(data.parents);
  if ("attributes" in data) out.attributes = data.attributes as Record<string, unknown>;
  if ("roles" in data) out.roles = uuids(data.roles);
  if ("users" in data) out.users = data.users as number[];
  else if (full) out.users = [];
  return out;
}

function setMembers(state: AuthentikState, group: GroupRecord, userPks: number[]): void {
  for (const user of state.users.all()) {
    const member = userPks.includes(user.pk);
    const others = user.groups.filter((pk) => pk !== group.pk);
    user.groups = member ? [...others, group.pk] : others;
  }
}

function members(state: AuthentikState, group: GroupRecord): UserRecord[] {
  return state.users.all().filter((u) => u.groups.includes(group.pk));
}

function ref(group: GroupRecord) {
  return modelRef("authentik_core", "group", group.pk, group.name);
}

export function renderGroup(
  state: AuthentikState,
  group: GroupRecord,
  query: URLSearchParams,
): Record<string, unknown> {
  const flag = (name: string, fallback: boolean) => parseBoolean(query.get(name) ?? "") ?? fallback;
  const groupMembers = members(state, group);
  const children = state.groups.all().filter((g) => g.parents.includes(group.pk));
  const parents = group.parents
    .map((pk) => state.groups.get(pk))
    .filter((g): g is GroupRecord => g !== undefined);
  return {
    pk: group.pk,
    num_pk: group.num_pk,
    name: group.name,
    is_superuser: group.is_superuser,
    parents: group.parents,
    parents_obj: flag("include_parents", false) ? parents.map(renderRelatedGroup) : null,
    users: groupMembers.map((u) => u.pk),
    users_obj: flag("include_users", true) ? groupMembers.map(renderPartialUser) : null,
    attributes: group.attributes,
    roles: group.roles,
    roles_obj: [],
    inherited_roles_obj: flag("include_inherited_roles", false) ? [] : null,
    children: children.map((g) => g.pk),
    children_obj: flag("include_children", false) ? children.map(renderRelatedGroup) : null,
  };
}
