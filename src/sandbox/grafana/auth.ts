import type { SimRequest, SimResponse } from "../common/sim-server.ts";
import {
  API_KEY_EXPIRED,
  API_KEY_INVALID,
  API_KEY_ORG_MISMATCH,
  API_KEY_REVOKED,
  accessDenied,
  PASSWORD_AUTH_FAILED,
  UNAUTHORIZED,
} from "./errors.ts";
import type { OrgRole } from "./models.ts";
import type { Access, Principal } from "./route.ts";
import type { GrafanaState } from "./state.ts";
import { isWellFormedTokenKey } from "./token-key.ts";

/**
 * Grafana's authn chain for the credentials Autopilot uses (reference §1): a service-account
 * token as `Bearer glsa_...` or as Basic `api_key:<token>`, or Basic auth as a user. The org is
 * `?targetOrgId` (wins) or `X-Grafana-Org-Id`; a token only ever works in its own org.
 */
export type AuthResult = { ok: true; principal: Principal } | { ok: false; response: SimResponse };

export function authenticate(request: SimRequest, state: GrafanaState): AuthResult {
  const requestedOrg = requestedOrgId(request);
  const header = request.headers.authorization ?? "";
  const [scheme, credentials = ""] = header.split(/\s+/, 2);
  if (scheme?.toLowerCase() === "bearer") return tokenAuth(credentials, requestedOrg, state);
  if (scheme?.toLowerCase() === "basic") {
    const decoded = Buffer.from(credentials, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const username = colon < 0 ? decoded : decoded.slice(0, colon);
    const password = colon < 0 ? "" : decoded.slice(colon + 1);
    if (username === "api_key") return tokenAuth(password, requestedOrg, state);
    return passwordAuth(username, password, requestedOrg, state);
  }
  return { ok: false, response: UNAUTHORIZED };
}

function requestedOrgId(request: SimRequest): number | undefined {
  const fromQuery = request.query.get("targetOrgId");
  const fromHeader = request.headers["x-grafana-org-id"];
  const raw = fromQuery ?? (typeof fromHeader === "string" ? fromHeader : undefined);
  return raw !== undefined && /^\d+$/.test(raw) && Number(raw) > 0 ? Number(raw) : undefined;
}

function tokenAuth(key: string, requestedOrg: number | undefined, state: GrafanaState): AuthResult {
  const token = isWellFormedTokenKey(key) ? state.findToken(key) : undefined;
  if (!token) return { ok: false, response: API_KEY_INVALID };
  // The same order as Grafana's API key client: expiry, revocation, then the org.
  if (token.expiresAt !== undefined && token.expiresAt <= state.clock.now()) {
    return { ok: false, response: API_KEY_EXPIRED };
  }
  if (token.isRevoked) return { ok: false, response: API_KEY_REVOKED };
  if (requestedOrg !== undefined && requestedOrg !== token.orgId) {
    return { ok: false, response: API_KEY_ORG_MISMATCH };
  }
  const account = state.org(token.orgId).serviceAccounts.get(token.serviceAccountId);
  // Guess: a disabled service account's tokens stop working like unknown ones.
  if (!account || account.isDisabled) return { ok: false, response: API_KEY_INVALID };
  token.lastUsedAt = state.clock.iso();
  return {
    ok: true,
    principal: {
      kind: "service-account",
      id: account.id,
      login: account.login,
      name: account.name,
      email: account.login,
      orgId: token.orgId,
      role: account.role,
      isServerAdmin: false,
    },
  };
}

function passwordAuth(
  username: string,
  password: string,
  requestedOrg: number | undefined,
  state: GrafanaState,
): AuthResult {
  const user = [...state.users.values()].find((u) => u.login === username || u.email === username);
  if (!user || user.password === "" || user.password !== password) {
    return { ok: false, response: PASSWORD_AUTH_FAILED };
  }
  const orgId = requestedOrg ?? [...user.orgRoles.keys()][0] ?? 1;
  const role = user.orgRoles.get(orgId);
  // Guess: switching to an org the user is not a member of is refused like missing credentials.
  if (role === undefined || !state.orgs.has(orgId)) return { ok: false, response: UNAUTHORIZED };
  return {
    ok: true,
    principal: {
      kind: "user",
      id: user.id,
      login: user.login,
      name: user.name,
      email: user.email,
      orgId,
      role,
      isServerAdmin: user.isServerAdmin,
    },
  };
}

const RANK: Record<OrgRole, number> = { None: 0, Viewer: 1, Editor: 2, Admin: 3 };

/** The RBAC decision for a route: undefined when allowed, else Grafana's 403 body. */
export function authorize(principal: Principal, access: Access): SimResponse | undefined {
  if (access.role === "SignedIn") return undefined;
  if (access.role === "ServerAdmin")
    return principal.isServerAdmin ? undefined : accessDenied(access.permission);
  return RANK[principal.role] >= RANK[access.role] ? undefined : accessDenied(access.permission);
}

export function roleIncludes(holder: OrgRole, wanted: OrgRole): boolean {
  return RANK[holder] >= RANK[wanted];
}
