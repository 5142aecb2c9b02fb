import type { SimResponse } from "../../common/sim-server.ts";
import type { GrafanaRoute, RouteContext } from "../route.ts";
import { json } from "../route.ts";
import { GO_ZERO_TIME } from "../sim-clock.ts";
import { avatarUrl } from "./service-accounts.ts";

/**
 * GET /api/org (the current org), its users, and GET /api/user (the caller). For a service account Grafana
 * does not read the user table: GetSignedInUser builds the DTO from the identity, so id is 0,
 * uid is "service-account:<id>", the timestamps are Go's zero time and authLabels is null.
 */
export function orgUserRoutes(): GrafanaRoute[] {
  return [
    {
      method: "GET",
      path: "/api/org",
      access: { role: "Viewer", permission: "orgs:read" },
      handle: ({ org }) =>
        json(200, {
          id: org.id,
          name: org.name,
          address: { address1: "", address2: "", city: "", zipCode: "", state: "", country: "" },
        }),
    },
    {
      method: "GET",
      path: "/api/org/users",
      access: { role: "Admin", permission: "org.users:read" },
      handle: orgUsers,
    },
    { method: "GET", path: "/api/user", access: { role: "SignedIn" }, handle: signedInUser },
  ];
}

/**
 * GET /api/org/users: the organisation's users (OrgUserDTO), service accounts left out as the
 * real query does. Not in the spec subset; shapes from Grafana's OrgUserDTO.
 */
function orgUsers({ org, state }: RouteContext): SimResponse {
  const users = [...state.users.values()].filter((user) => user.orgRoles.has(org.id));
  return json(
    200,
    users.map((user) => ({
      orgId: org.id,
      userId: user.id,
      uid: user.uid,
      email: user.email,
      name: user.name,
      avatarUrl: avatarUrl(user.email),
      login: user.login,
      role: user.orgRoles.get(org.id),
      lastSeenAt: user.updated,
      lastSeenAtAge: "10 years",
      accessControl: null,
      isDisabled: false,
      authLabels: [],
      isExternallySynced: false,
      isProvisioned: false,
    })),
  );
}

function signedInUser({ principal, state }: RouteContext): SimResponse {
  if (principal.kind === "service-account") {
    return json(200, {
      id: 0,
      uid: `service-account:${principal.id}`,
      email: principal.email,
      name: principal.name,
      login: principal.login,
      theme: "",
      orgId: principal.orgId,
      isGrafanaAdmin: false,
      isDisabled: false,
      isExternal: false,
      isExternallySynced: false,
      isGrafanaAdminExternallySynced: false,
      authLabels: null,
      updatedAt: GO_ZERO_TIME,
      createdAt: GO_ZERO_TIME,
      avatarUrl: "",
    });
  }
  const user = state.users.get(principal.id);
  return json(200, {
    id: principal.id,
    uid: user?.uid ?? "",
    email: principal.email,
    name: principal.name,
    login: principal.login,
    theme: "",
    orgId: principal.orgId,
    isGrafanaAdmin: principal.isServerAdmin,
    isDisabled: false,
    isExternal: false,
    isExternallySynced: false,
    isGrafanaAdminExternallySynced: false,
    authLabels: [],
    updatedAt: user?.updated ?? GO_ZERO_TIME,
    createdAt: user?.created ?? GO_ZERO_TIME,
    avatarUrl: avatarUrl(principal.email),
    isProvisioned: false,
  });
}
