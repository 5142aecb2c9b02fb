/**
 * A stateful, in-process HashiCorp Vault for tests and `autopilot sandbox`, built on the shared
 * simulator shell (loopback only, request log, fault injection).
 *
 * Vault HTTP API behaviours reproduced (from Vault's API documentation):
 * - Every error body is `{"errors":[...]}`. A missing, unknown or expired token gets 403
 *   `["permission denied"]`; a valid token whose ACL does not grant the capability gets 403 with
 *   the multierror text `"1 error occurred:\n\t* permission denied\n\n"`; an unknown route 404 `[]`.
 * - Token from `X-Vault-Token` (or `Authorization: Bearer`); namespace from `X-Vault-Namespace`,
 *   each namespace holding its own KV data.
 * - ACL paths with `+` (one segment) and a trailing `*` (prefix); the most specific rule wins and
 *   `deny` overrides; capabilities create/update (by existence), read, delete, list, sudo.
 * - KV v2 (mount "secret" by default): `GET/POST/PUT/DELETE /v1/{mount}/data/{path}` with the
 *   standard response envelope, versions, `?version=N`, `options.cas` (0 = only if absent;
 *   mismatch → 400 "check-and-set parameter did not match the current version"), soft delete
 *   (a deleted version reads as 404 carrying its metadata); `GET /v1/{mount}/metadata/{path}`,
 *   `DELETE` (all versions, 204) and listing with `?list=true` (`{data:{keys}}`, folders end in
 *   "/", 404 `[]` when empty). A missing secret reads as 404 `{"errors":[]}`.
 * - `GET|HEAD /v1/sys/health` with `activecode`/`sealedcode` (200 active, 503 sealed, body says
 *   `sealed`), `GET /v1/sys/seal-status`, `PUT /v1/sys/seal` (sudo), `PUT /v1/sys/unseal` with the
 *   simulator's single key share. While sealed every other route answers 503 `["Vault is sealed"]`.
 * - AppRole: `POST /v1/auth/{mount}/login` `{role_id, secret_id}` → `auth.client_token`,
 *   `lease_duration`, `renewable`; a wrong pair → 400 `["invalid role or secret ID"]`.
 * - `GET /v1/auth/token/lookup-self` (accessor, policies, ttl, expire_time, renewable, …) and
 *   `POST /v1/auth/token/renew-self` (extends by the token TTL, capped at the max TTL with
 *   Vault's warning; a non-renewable token → 400 "lease is not renewable"). Tokens expire on the
 *   simulator's clock, which tests replace with `setClock`.
 *
 * Deliberate differences: lookup-self omits `id` (the token itself), so no request log or test
 * output ever carries a credential; the HTTP method LIST is routed but Node's HTTP parser does
 * not accept it, so clients use `?list=true` (as Autopilot's client does); policies are inline
 * rules on a token or role rather than named policy objects; one key share unseals.
 */
import { type SimServer, startSimServer } from "../common/sim-server.ts";
import type { AppRoleSpec } from "./auth.ts";
import { createVaultHandler, vaultSandboxControl } from "./handler.ts";
import { type PolicyRule, policyRuleSchema } from "./policies.ts";
import { vaultError } from "./responses.ts";
import { VaultState } from "./state.ts";
import { newTokenId } from "./tokens.ts";

export interface VaultSimulatorOptions {
  rootToken?: string;
  port?: number;
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: { cert: string; key: string };
  /** KV v2 mounts enabled at start (default ["secret"]). */
  kvMounts?: string[];
}

export interface CreateTokenOptions {
  policies: PolicyRule[];
  /** 0 or absent: never expires. */
  ttlSeconds?: number;
  maxTtlSeconds?: number;
  renewable?: boolean;
}

export interface VaultSimulator extends SimServer {
  readonly rootToken: string;
  /** The key share PUT /v1/sys/unseal accepts. */
  readonly unsealKey: string;
  readonly sealed: boolean;
  seal(): void;
  unseal(): void;
  /** Writes a secret version directly (enabling the mount if needed); returns the version. */
  putSecret(
    mount: string,
    path: string,
    data: Record<string, unknown>,
    options?: { namespace?: string },
  ): number;
  /** The latest live version's data, for assertions. */
  readSecret(
    mount: string,
    path: string,
    options?: { namespace?: string },
  ): Record<string, unknown> | undefined;
  createToken(options: CreateTokenOptions): string;
  createAppRole(
    name: string,
    options: AppRoleSpec & { mount?: string },
  ): { roleId: string; secretId: string };
  /** Replaces the clock (milliseconds since the epoch) that token TTLs are measured on. */
  setClock(now: () => number): void;
}

export async function startVaultSimulator(options: VaultSimulatorOptions = {}): Promise<VaultSimulator> {
  const state = new VaultState({
    rootToken: options.rootToken ?? newTokenId(),
    kvMounts: options.kvMounts ?? ["secret"],
  });
  const server = await startSimServer({
    name: "vault",
    ...(options.tls ? { tls: options.tls } : {}),
    port: options.port,
    handler: createVaultHandler(state),
    control: (request) => vaultSandboxControl(state, request),
    throttleResponse: () => vaultError(429, 'request path "": rate limit quota exceeded'),
    errorResponse: (status) => vaultError(status, "internal error"),
  });
  return {
    name: server.name,
    url: server.url,
    port: server.port,
    faults: server.faults,
    log: server.log,
    close: () => server.close(),
    rootToken: state.rootToken,
    unsealKey: state.unsealKey,
    get sealed() {
      return state.sealed;
    },
    seal: () => {
      state.sealed = true;
    },
    unseal: () => {
      state.sealed = false;
    },
    putSecret: (mount, path, data, putOptions = {}) => {
      state.kv.mount(mount);
      const result = state.kv.write(putOptions.namespace ?? "", mount, path, data);
      return result.ok ? result.version : 0;
    },
    readSecret: (mount, path, readOptions = {}) => {
      const found = state.kv.read(readOptions.namespace ?? "", mount, path);
      return found && found.deletionTime === null ? structuredClone(found.data) : undefined;
    },
    createToken: (tokenOptions) =>
      state.tokens.create({
        rules: tokenOptions.policies.map((rule) => policyRuleSchema.parse(rule)),
        policies: ["default", "sandbox-token"],
        ttlSeconds: tokenOptions.ttlSeconds ?? 0,
        maxTtlSeconds: tokenOptions.maxTtlSeconds ?? 0,
        ...(tokenOptions.renewable === undefined ? {} : { renewable: tokenOptions.renewable }),
      }).id,
    createAppRole: (name, { mount = "approle", ...spec }) =>
      state.roles.create(mount, name, {
        ...spec,
        policies: spec.policies.map((rule) => policyRuleSchema.parse(rule)),
      }),
    setClock: (now) => {
      state.now = now;
    },
  };
}
