import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { SimResponse } from "../common/sim-server.ts";
import type { PolicyRule } from "./policies.ts";
import { envelope, parseJson, vaultError, vaultTime } from "./responses.ts";
import type { SimToken, TokenStore } from "./tokens.ts";

/**
 * The AppRole auth method (login with role_id + secret_id) and the token self-service routes
 * every token may call under Vault's default policy: lookup-self and renew-self.
 */
export interface AppRoleSpec {
  policies: PolicyRule[];
  tokenTtlSeconds?: number;
  tokenMaxTtlSeconds?: number;
}

interface AppRole extends Required<AppRoleSpec> {
  name: string;
  roleId: string;
  secretIds: Set<string>;
}

export class AppRoles {
  /** Keyed by auth mount, then role_id. */
  readonly #roles = new Map<string, Map<string, AppRole>>();

  create(mount: string, name: string, spec: AppRoleSpec): { roleId: string; secretId: string } {
    let roles = this.#roles.get(mount);
    if (!roles) {
      roles = new Map();
      this.#roles.set(mount, roles);
    }
    const role: AppRole = {
      name,
      roleId: randomUUID(),
      secretIds: new Set([randomUUID()]),
      policies: spec.policies,
      tokenTtlSeconds: spec.tokenTtlSeconds ?? 3600,
      tokenMaxTtlSeconds: spec.tokenMaxTtlSeconds ?? 0,
    };
    roles.set(role.roleId, role);
    return { roleId: role.roleId, secretId: [...role.secretIds][0] as string };
  }

  find(mount: string, roleId: string, secretId: string): AppRole | undefined {
    const role = this.#roles.get(mount)?.get(roleId);
    return role?.secretIds.has(secretId) ? role : undefined;
  }
}

const loginBodySchema = z.object({ role_id: z.string().optional(), secret_id: z.string().optional() });

export function handleAppRoleLogin(
  roles: AppRoles,
  tokens: TokenStore,
  mount: string,
  rawBody: Buffer,
): SimResponse {
  const parsed = parseJson(rawBody);
  if (!parsed.ok) return parsed.response;
  const body = loginBodySchema.safeParse(parsed.value);
  if (!body.success || !body.data.role_id) return vaultError(400, "missing role_id");
  const role = roles.find(mount, body.data.role_id, body.data.secret_id ?? "");
  if (!role) return vaultError(400, "invalid role or secret ID");
  const policyName = `approle-${role.name}`;
  const token = tokens.create({
    policies: ["default", policyName],
    rules: role.policies,
    displayName: `approle`,
    path: `auth/${mount}/login`,
    meta: { role_name: role.name },
    ttlSeconds: role.tokenTtlSeconds,
    maxTtlSeconds: role.tokenMaxTtlSeconds,
    renewable: true,
  });
  return envelope({ auth: authBlock(token, token.ttlSeconds) });
}

export function handleLookupSelf(tokens: TokenStore, token: SimToken): SimResponse {
  // Real Vault also returns the token itself as `id`; the simulator leaves it out so a response
  // log never carries a credential. Autopilot does not read it.
  return envelope({
    data: {
      accessor: token.accessor,
      creation_time: Math.floor(token.issuedAt / 1000),
      creation_ttl: token.ttlSeconds,
      display_name: token.displayName,
      entity_id: "",
      expire_time: token.expiresAt === null ? null : vaultTime(token.expiresAt),
      explicit_max_ttl: token.maxTtlSeconds,
      issue_time: vaultTime(token.issuedAt),
      meta: token.meta,
      num_uses: 0,
      orphan: true,
      path: token.path,
      policies: token.policies,
      renewable: token.renewable,
      ttl: tokens.remainingSeconds(token),
      type: "service",
    },
  });
}

export function handleRenewSelf(tokens: TokenStore, token: SimToken): SimResponse {
  const result = tokens.renew(token);
  if (!result.ok) return vaultError(400, "lease is not renewable");
  const remaining = result.leaseSeconds;
  return envelope({
    auth: authBlock(token, remaining),
    warnings: result.capped
      ? [
          `TTL of "${token.ttlSeconds}s" exceeded the effective max_ttl of "${remaining}s"; TTL value is capped accordingly`,
        ]
      : null,
  });
}

function authBlock(token: SimToken, leaseDuration: number): Record<string, unknown> {
  return {
    client_token: token.id,
    accessor: token.accessor,
    policies: token.policies,
    token_policies: token.policies,
    metadata: token.meta,
    lease_duration: leaseDuration,
    renewable: token.renewable,
    entity_id: "",
    token_type: "service",
    orphan: true,
    mfa_requirement: null,
    num_uses: 0,
  };
}
