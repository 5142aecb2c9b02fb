import { modelRef } from "../audit-events.ts";
import { anyOf, boolean, exact, type ListSpec, parseBoolean } from "../list-query.ts";
import type { OperationContext, OperationHandler, ValidatedInput } from "../operation.ts";
import { canView, requireSuperuser } from "../operation.ts";
import type { UserRecord } from "../records.ts";
import type { AuthentikState } from "../state.ts";
import { renderUser } from "./identity-render.ts";
import { listResponse } from "./list-response.ts";
import { byIntegerId } from "./object-lookup.ts";
import { checkManyPks, checkUnique, uuids } from "./relation-checks.ts";

/**
 * /core/users/ (integer id). `groups` holds group UUIDs and, like `roles`, defaults to [] in the
 * serializer: a PUT without them drops every membership. is_superuser is read-only and derived
 * from the groups. Unlike other models, a taken username says "This field must be unique."
 */
const TYPES = ["internal", "external", "service_account", "internal_service_account"];

export function userHandlers(): OperationHandler[] {
  return [
    {
      operationId: "core_users_list",
      handle: (ctx) => {
        const { state } = ctx;
        const spec: ListSpec<UserRecord> = {
          filters: {
            username: exact((u) => u.username),
            email: exact((u) => u.email),
            name: exact((u) => u.name),
            uuid: exact((u) => u.uuid),
            path: exact((u) => u.path),
            path_startswith: (rows, values) =>
              rows.filter((u) => u.path.startsWith(values[values.length - 1] ?? "")),
            is_active: boolean((u) => u.is_active),
            // ak_groups__is_superuser is a join: "false" means "in some non-superuser group".
            is_superuser: (rows, values) => {
              const wanted = parseBoolean(values[values.length - 1] ?? "");
              if (wanted === undefined) return rows;
              return rows.filter((u) => u.groups.some((pk) => state.groups.get(pk)?.is_superuser === wanted));
            },
            type: anyOf(
              (u) => u.type,
              () => TYPES,
            ),
            groups_by_name: anyOf(
              (u) => u.groups.map((pk) => state.groups.get(pk)?.name ?? ""),
              () => state.groups.all().map((g) => g.name),
            ),
            groups_by_pk: anyOf(
              (u) => u.groups,
              () => state.groups.all().map((g) => g.pk),
            ),
          },
          searchFields: (u) => [u.username, u.name, String(u.is_active), u.email, u.uuid],
          ordering: ["username"],
        };
        const options = renderOptions(ctx.query);
        const rows = canView(ctx) ? state.users.all() : [];
        return listResponse(rows, ctx.query, spec, (u) => renderUser(state, u, options));
      },
    },
    {
      operationId: "core_users_create",
      handle: (ctx) => {
        requireSuperuser(ctx);
        const input = ctx.input();
        validate(ctx.state, input, undefined);
        const user = ctx.state.addUser(pick(input.data, true) as UserRecord);
        ctx.record("model_created", ref(user));
        return { status: 201, body: renderUser(ctx.state, user) };
      },
    },
    {
      operationId: "core_users_retrieve",
      handle: (ctx) => ({ status: 200, body: renderUser(ctx.state, find(ctx), renderOptions(ctx.query)) }),
    },
    { operationId: "core_users_update", handle: (ctx) => update(ctx, true) },
    { operationId: "core_users_partial_update", handle: (ctx) => update(ctx, false) },
    {
      operationId: "core_users_destroy",
      handle: (ctx) => {
        const user = find(ctx);
        ctx.state.users.delete(user.pk);
        for (const token of ctx.state.tokens.all())
          if (token.user === user.pk) ctx.state.tokens.delete(token.pk);
        ctx.record("model_deleted", ref(user));
        return { status: 204 };
      },
    },
  ];
}

function find(ctx: OperationContext): UserRecord {
  return byIntegerId(ctx.state.users, ctx.params.id ?? "", "User", canView(ctx));
}

function update(ctx: OperationContext, full: boolean) {
  const user = find(ctx);
  requireSuperuser(ctx);
  const input = ctx.input();
  validate(ctx.state, input, user);
  Object.assign(user, pick(input.data, full), { last_updated: ctx.state.now() });
  ctx.record("model_updated", ref(user));
  return { status: 200, body: renderUser(ctx.state, user) };
}

function validate(state: AuthentikState, input: ValidatedInput, self: UserRecord | undefined): void {
  const { data, errors } = input;
  checkUnique(
    errors,
    "username",
    typeof data.username === "string" &&
      state.users.find((u) => u.username === data.username && u !== self) !== undefined,
    "This field must be unique.",
  );
  checkManyPks<string>(errors, "groups", data.groups, (pk) => state.groups.get(pk) !== undefined);
  checkManyPks<string>(errors, "roles", data.roles, () => false);
  if (typeof data.path === "string" && !errors.has("path")) {
    if (data.path.startsWith("/") || data.path.endsWith("/")) {
      errors.add("path", "No leading or trailing slashes allowed.");
    } else if (data.path.split("/").includes("")) {
      errors.add("path", "No empty segments in user path allowed.");
    }
  }
  if (typeof data.type === "string" && !errors.has("type")) {
    if (self?.type === "internal_service_account" && data.type !== "internal_service_account") {
      errors.add("type", "Can't change internal service account to other user type.");
    } else if (!self && data.type === "internal_service_account") {
      errors.add("type", "Setting a user to internal service account is not allowed.");
    }
  }
  errors.throwIfAny();
}

function pick(data: Record<string, unknown>, full: boolean): Partial<UserRecord> {
  const out: Partial<UserRecord> = {};
  for (const key of ["username", "name", "is_active", "email", "attributes", "path", "type"] as const) {
    if (key in data) (out as Record<string, unknown>)[key] = data[key];
  }
  if ("last_login" in data)
    out.last_login = data.last_login === null ? null : Date.parse(String(data.last_login));
  if ("groups" in data) out.groups = uuids(data.groups);
  else if (full) out.groups = [];
  if ("roles" in data) out.roles = uuids(data.roles);
  else if (full) out.roles = [];
  return out;
}

function renderOptions(query: URLSearchParams) {
  return {
    includeGroups: parseBoolean(query.get("include_groups") ?? "") ?? true,
    includeRoles: parseBoolean(query.get("include_roles") ?? "") ?? true,
  };
}

function ref(user: UserRecord) {
  return modelRef("authentik_core", "user", user.pk, user.name);
}
