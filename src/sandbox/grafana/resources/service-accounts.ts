import { createHash } from "node:crypto";
import type { SimResponse } from "../../common/sim-server.ts";
import { failLegacy, failPublic } from "../errors.ts";
import type { OrgRecord, OrgRole, ServiceAccountRecord } from "../models.ts";
import {
  bodyObject,
  bool,
  type GrafanaRoute,
  json,
  parseId,
  queryBool,
  queryInt,
  type RouteContext,
  str,
} from "../route.ts";
import { slugify } from "../slug.ts";
import { type GrafanaState, shortUid } from "../state.ts";

/**
 * /api/serviceaccounts (reference §6). Create answers 201; a duplicate is a 400 with an errutil
 * body (not 409); an unknown role is the handler's errutil 400.
 */
const ROLES: readonly OrgRole[] = ["None", "Viewer", "Editor", "Admin"];

export function serviceAccountRoutes(): GrafanaRoute[] {
  return [
    {
      method: "GET",
      path: "/api/serviceaccounts/search",
      access: { role: "Admin", permission: "serviceaccounts:read" },
      handle: searchServiceAccounts,
    },
    {
      method: "POST",
      path: "/api/serviceaccounts",
      access: { role: "Admin", permission: "serviceaccounts:create" },
      bindsBody: true,
      handle: createServiceAccount,
    },
    {
      method: "GET",
      path: "/api/serviceaccounts/:id",
      access: { role: "Admin", permission: "serviceaccounts:read" },
      handle: ({ org, params }) => json(200, serviceAccountDto(org, findServiceAccount(org, params.id))),
    },
    {
      method: "PATCH",
      path: "/api/serviceaccounts/:id",
      access: { role: "Admin", permission: "serviceaccounts:write" },
      bindsBody: true,
      handle: updateServiceAccount,
    },
    {
      method: "DELETE",
      path: "/api/serviceaccounts/:id",
      access: { role: "Admin", permission: "serviceaccounts:delete" },
      handle: ({ org, params }) => {
        const account = findServiceAccount(org, params.id);
        org.serviceAccounts.delete(account.id);
        for (const token of [...org.tokens.values()])
          if (token.serviceAccountId === account.id) org.tokens.delete(token.id);
        return json(200, { message: "Service account deleted" });
      },
    },
  ];
}

export function findServiceAccount(org: OrgRecord, rawId: string | undefined): ServiceAccountRecord {
  const id = parseId(rawId);
  if (id === undefined) failLegacy(400, "Service Account ID is invalid");
  return (
    org.serviceAccounts.get(id) ?? failPublic(404, "serviceaccounts.ErrNotFound", "service account not found")
  );
}

export function avatarUrl(text: string): string {
  return `/avatar/${createHash("md5").update(text.toLowerCase()).digest("hex")}`;
}

function loginFor(orgId: number, name: string): string {
  return `sa-${orgId}-${slugify(name)}`;
}

function serviceAccountDto(org: OrgRecord, account: ServiceAccountRecord): Record<string, unknown> {
  return {
    id: account.id,
    uid: account.uid,
    name: account.name,
    login: account.login,
    orgId: account.orgId,
    isDisabled: account.isDisabled,
    isExternal: false,
    role: account.role,
    tokens: [...org.tokens.values()].filter((t) => t.serviceAccountId === account.id).length,
    avatarUrl: avatarUrl(account.name),
  };
}

/**
 * validateRole: an unknown role is refused before anything is stored. (Grafana also refuses a
 * role above the caller's with 403 ErrRoleForbidden; only org Admins reach these routes here and
 * nothing ranks above Admin, so that branch cannot happen in the simulator.)
 */
function checkRole(role: unknown): OrgRole | undefined {
  if (role === undefined || role === null) return undefined;
  if (!ROLES.includes(role as OrgRole)) {
    failPublic(400, "serviceaccounts.ErrInvalidRoleSpecified", "invalid role specified");
  }
  return role as OrgRole;
}

/** Creates the account record; shared with the simulator's own token bootstrap. */
export function addServiceAccount(
  state: GrafanaState,
  org: OrgRecord,
  input: { name: string; role: OrgRole; isDisabled: boolean },
): ServiceAccountRecord {
  const login = loginFor(org.id, input.name);
  const taken =
    [...org.serviceAccounts.values()].some((a) => a.login === login) ||
    [...state.users.values()].some((u) => u.login === login);
  if (taken) failPublic(400, "serviceaccounts.ErrAlreadyExists", "service account already exists");
  const now = state.clock.iso();
  const account: ServiceAccountRecord = {
    id: state.nextId("user"),
    uid: shortUid(),
    orgId: org.id,
    name: input.name,
    login,
    role: input.role,
    isDisabled: input.isDisabled,
    created: now,
    updated: now,
  };
  org.serviceAccounts.set(account.id, account);
  return account;
}

function createServiceAccount(context: RouteContext): SimResponse {
  const body = bodyObject(context);
  // Guess: an omitted role makes a Viewer, as the UI's default does.
  const role = checkRole(body.role) ?? "Viewer";
  const account = addServiceAccount(context.state, context.org, {
    name: str(body.name),
    role,
    isDisabled: bool(body.isDisabled),
  });
  return json(201, serviceAccountDto(context.org, account));
}

function updateServiceAccount(context: RouteContext): SimResponse {
  const { org, state } = context;
  const account = findServiceAccount(org, context.params.id);
  const body = bodyObject(context);
  const role = checkRole(body.role);
  if (typeof body.name === "string" && body.name !== account.name) {
    const login = loginFor(org.id, body.name);
    if ([...org.serviceAccounts.values()].some((a) => a !== account && a.login === login)) {
      failPublic(400, "serviceaccounts.ErrAlreadyExists", "service account already exists");
    }
    account.name = body.name;
    account.login = login;
  }
  if (role) account.role = role;
  if (typeof body.isDisabled === "boolean") account.isDisabled = body.isDisabled;
  account.updated = state.clock.iso();
  const profile = {
    ...serviceAccountDto(org, account),
    createdAt: account.created,
    updatedAt: account.updated,
    teams: [],
    requiredBy: "",
  };
  return json(200, {
    message: "Service account updated",
    id: account.id,
    name: account.name,
    serviceaccount: profile,
  });
}

function searchServiceAccounts({ org, query, state }: RouteContext): SimResponse {
  const perPage = queryInt(query, "perpage") > 0 ? queryInt(query, "perpage") : 1000;
  const page = Math.max(queryInt(query, "page"), 1);
  const text = (query.get("query") ?? "").toLowerCase();
  const now = state.clock.now();
  const matching = [...org.serviceAccounts.values()]
    .filter((a) => a.name.toLowerCase().includes(text) || a.login.toLowerCase().includes(text))
    .filter((a) => !queryBool(query, "disabled") || a.isDisabled)
    .filter(
      (a) =>
        !queryBool(query, "expiredTokens") ||
        [...org.tokens.values()].some(
          (t) => t.serviceAccountId === a.id && t.expiresAt !== undefined && t.expiresAt <= now,
        ),
    )
    .sort((a, b) => a.name.localeCompare(b.name));
  return json(200, {
    totalCount: matching.length,
    serviceAccounts: matching
      .slice((page - 1) * perPage, page * perPage)
      .map((a) => serviceAccountDto(org, a)),
    page,
    perPage,
  });
}
