import type { SimResponse } from "../../common/sim-server.ts";
import { failLegacy, failPublic } from "../errors.ts";
import type { OrgRecord, OrgRole, TokenRecord } from "../models.ts";
import { bodyObject, type GrafanaRoute, json, num, parseId, type RouteContext, str } from "../route.ts";
import type { GrafanaState } from "../state.ts";
import { generateTokenKey } from "../token-key.ts";
import { addServiceAccount, findServiceAccount } from "./service-accounts.ts";

/**
 * /api/serviceaccounts/{id}/tokens (reference §6). The key is returned once, at creation; lists
 * show TokenDTOs with Go's nulls. Token names are unique in the whole org, not per account.
 */
const SEVEN_DAYS_MS = 7 * 24 * 3600_000;

export function serviceAccountTokenRoutes(): GrafanaRoute[] {
  return [
    {
      method: "GET",
      path: "/api/serviceaccounts/:id/tokens",
      access: { role: "Admin", permission: "serviceaccounts:read" },
      handle: ({ org, params, state }) => {
        const id = parseId(params.id) ?? failLegacy(400, "Service Account ID is invalid");
        return json(
          200,
          tokensOf(org, id).map((token) => tokenDto(token, state.clock.now())),
        );
      },
    },
    {
      method: "POST",
      path: "/api/serviceaccounts/:id/tokens",
      access: { role: "Admin", permission: "serviceaccounts:write" },
      bindsBody: true,
      handle: createToken,
    },
    {
      method: "DELETE",
      path: "/api/serviceaccounts/:id/tokens/:tokenId",
      access: { role: "Admin", permission: "serviceaccounts:write" },
      handle: ({ org, params }) => {
        const account = findServiceAccount(org, params.id);
        const tokenId = parseId(params.tokenId) ?? failLegacy(400, "Token ID is invalid");
        const token = org.tokens.get(tokenId);
        if (!token || token.serviceAccountId !== account.id) {
          failPublic(404, "serviceaccounts.ErrTokenNotFound", "service account token not found");
        }
        org.tokens.delete(tokenId);
        return json(200, { message: "Service account token deleted" });
      },
    },
  ];
}

function tokensOf(org: OrgRecord, serviceAccountId: number): TokenRecord[] {
  return [...org.tokens.values()].filter((token) => token.serviceAccountId === serviceAccountId);
}

/** TokenDTO: pointer fields are null when unset; secondsUntilExpiration is only non-zero in the last week. */
function tokenDto(token: TokenRecord, now: number): Record<string, unknown> {
  const hasExpired = token.expiresAt !== undefined && token.expiresAt <= now;
  const expiringSoon = token.expiresAt !== undefined && !hasExpired && token.expiresAt < now + SEVEN_DAYS_MS;
  return {
    id: token.id,
    name: token.name,
    created: token.created,
    lastUsedAt: token.lastUsedAt,
    expiration:
      token.expiresAt === undefined
        ? null
        : new Date(token.expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
    secondsUntilExpiration: expiringSoon ? ((token.expiresAt as number) - now) / 1000 : 0,
    hasExpired,
    isRevoked: token.isRevoked,
  };
}

function createToken(context: RouteContext): SimResponse {
  const { org, state } = context;
  const account = findServiceAccount(org, context.params.id);
  const body = bodyObject(context);
  const token = addToken(state, org, account.id, str(body.name), num(body.secondsToLive));
  return json(200, { id: token.id, name: token.name, key: token.key });
}

export function addToken(
  state: GrafanaState,
  org: OrgRecord,
  serviceAccountId: number,
  name: string,
  secondsToLive: number,
): TokenRecord {
  if (secondsToLive < 0) failPublic(400, "serviceaccounts.ErrInvalidInput", "invalid SecondsToLive value");
  if ([...org.tokens.values()].some((token) => token.name === name)) {
    failPublic(
      400,
      "serviceaccounts.ErrTokenAlreadyExists",
      "service account token with given name already exists in the organization",
    );
  }
  const token: TokenRecord = {
    id: state.nextId("token"),
    orgId: org.id,
    serviceAccountId,
    name,
    key: generateTokenKey(),
    created: state.clock.iso(),
    expiresAt: secondsToLive > 0 ? state.clock.now() + secondsToLive * 1000 : undefined,
    lastUsedAt: null,
    isRevoked: false,
  };
  org.tokens.set(token.id, token);
  return token;
}

export interface IssuedToken {
  key: string;
  serviceAccountId: number;
  tokenId: number;
}

/** A service account with one token, made directly in the state (the simulator's bootstrap token, test fixtures). */
export function issueServiceAccountToken(
  state: GrafanaState,
  input: { name: string; role?: OrgRole; orgId?: number; secondsToLive?: number; isDisabled?: boolean },
): IssuedToken {
  const org = state.org(input.orgId ?? 1);
  const account = addServiceAccount(state, org, {
    name: input.name,
    role: input.role ?? "Admin",
    isDisabled: input.isDisabled ?? false,
  });
  const token = addToken(state, org, account.id, input.name, input.secondsToLive ?? 0);
  return { key: token.key, serviceAccountId: account.id, tokenId: token.id };
}
