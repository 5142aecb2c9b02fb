import { type RouteParams, Router } from "../common/router.ts";
import type { SimHandler, SimRequest, SimResponse } from "../common/sim-server.ts";
import { handleAppRoleLogin, handleLookupSelf, handleRenewSelf } from "./auth.ts";
import { handleKvData, handleKvMetadata, type KvRequest } from "./kv.ts";
import { allows, type Capability } from "./policies.ts";
import { notFound, parseJson, permissionDenied, policyDenied, sealedError, vaultError } from "./responses.ts";
import type { VaultState } from "./state.ts";
import type { SimToken } from "./tokens.ts";

/** Routes of the simulated Vault: which need a token, which still answer while sealed. */
interface RouteSpec {
  token: boolean;
  whileSealed: boolean;
  handle(context: RouteContext): SimResponse;
}

interface RouteContext {
  state: VaultState;
  request: SimRequest;
  params: RouteParams;
  /** Set on routes that need a token. */
  token: SimToken;
}

const open = (whileSealed: boolean, handle: RouteSpec["handle"]): RouteSpec => ({
  token: false,
  whileSealed,
  handle,
});
const guarded = (handle: RouteSpec["handle"]): RouteSpec => ({ token: true, whileSealed: false, handle });

const health = open(true, ({ state, request }) => {
  const code = (name: string, fallback: number) => {
    const value = Number(request.query.get(name));
    return Number.isInteger(value) && value > 0 ? value : fallback;
  };
  const status = state.sealed ? code("sealedcode", 503) : code("activecode", 200);
  if (request.method === "HEAD") return { status };
  return {
    status,
    body: {
      initialized: true,
      sealed: state.sealed,
      standby: state.sealed,
      performance_standby: false,
      replication_performance_mode: state.sealed ? "unknown" : "disabled",
      replication_dr_mode: state.sealed ? "unknown" : "disabled",
      server_time_utc: Math.floor(state.now() / 1000),
      version: state.version,
      ...(state.sealed ? {} : { cluster_name: state.clusterName, cluster_id: state.clusterId }),
    },
  };
});

const sealStatus = open(true, ({ state }) => ({ status: 200, body: sealStatusBody(state) }));

const seal = guarded(({ state, token }) => {
  if (!token.root && !allows(token.rules, "sys/seal", "sudo")) return policyDenied();
  state.sealed = true;
  return { status: 204 };
});

const unseal = open(true, ({ state, request }) => {
  const parsed = parseJson(request.rawBody);
  if (!parsed.ok) return parsed.response;
  const key = (parsed.value as { key?: unknown }).key;
  if (typeof key !== "string" || key === "")
    return vaultError(400, "'key' must be specified in request body as JSON, or 'reset' set to true");
  if (key !== state.unsealKey) return vaultError(400, "Unseal failed, invalid key");
  state.sealed = false;
  return { status: 200, body: sealStatusBody(state) };
});

const login = open(false, ({ state, request, params }) =>
  handleAppRoleLogin(state.roles, state.tokens, params.mount as string, request.rawBody),
);
const lookupSelf = guarded(({ state, token }) => handleLookupSelf(state.tokens, token));
const renewSelf = guarded(({ state, token }) => handleRenewSelf(state.tokens, token));

const kvData = guarded((context) => withKv(context, handleKvData) ?? notFound());

const kvMetadata = guarded(
  (context) =>
    withKv(context, (kv, request) =>
      handleKvMetadata(kv, request, request.method === "LIST" || request.query.get("list") === "true"),
    ) ?? notFound(),
);

function withKv(
  context: RouteContext,
  handle: (kv: VaultState["kv"], request: KvRequest) => SimResponse,
): SimResponse | undefined {
  const { state, request, params, token } = context;
  const mount = params.mount as string;
  if (!state.kv.hasMount(mount)) return undefined;
  return handle(state.kv, {
    method: request.method,
    namespace: namespaceOf(request),
    mount,
    path: (params.path ?? "").replace(/^\/+|\/+$/g, ""),
    query: request.query,
    rawBody: request.rawBody,
    authorize: (aclPath: string, capability: Capability) =>
      token.root || allows(token.rules, aclPath, capability) ? undefined : policyDenied(),
  });
}

function buildRouter(): Router<RouteSpec> {
  const router = new Router<RouteSpec>()
    .add("GET", "/v1/sys/health", health)
    .add("HEAD", "/v1/sys/health", health)
    .add("GET", "/v1/sys/seal-status", sealStatus)
    .add("GET", "/v1/auth/token/lookup-self", lookupSelf);
  for (const method of ["POST", "PUT"]) {
    router
      .add(method, "/v1/sys/seal", seal)
      .add(method, "/v1/sys/unseal", unseal)
      .add(method, "/v1/auth/token/renew-self", renewSelf)
      .add(method, "/v1/auth/:mount/login", login)
      .add(method, "/v1/:mount/data/*path", kvData);
  }
  for (const method of ["GET", "DELETE"]) router.add(method, "/v1/:mount/data/*path", kvData);
  for (const method of ["GET", "DELETE", "LIST"]) router.add(method, "/v1/:mount/metadata/*path", kvMetadata);
  for (const method of ["GET", "LIST"]) router.add(method, "/v1/:mount/metadata/", kvMetadata);
  return router;
}

export function createVaultHandler(state: VaultState): SimHandler {
  const router = buildRouter();
  return (request) => {
    const match = router.match(request.method, request.path);
    if (match === undefined) return notFound();
    if (match === "method-not-allowed") return vaultError(405);
    const spec = match.handler;
    if (state.sealed && !spec.whileSealed) return sealedError();
    let token: SimToken | undefined;
    if (spec.token) {
      token = state.tokens.find(tokenOf(request));
      if (!token) return permissionDenied();
    }
    return spec.handle({ state, request, params: match.params, token: token as SimToken });
  };
}

/**
 * Test controls under the simulator's own prefix (POST /__sandbox/vault/seal and /unseal), passed
 * to the shared shell as its `control` hook; other control paths are the shell's own.
 */
export function vaultSandboxControl(state: VaultState, request: SimRequest): SimResponse | undefined {
  if (request.method === "POST" && request.path === "/__sandbox/vault/seal") state.sealed = true;
  else if (request.method === "POST" && request.path === "/__sandbox/vault/unseal") state.sealed = false;
  else return undefined;
  return { status: 200, body: { sealed: state.sealed } };
}

function sealStatusBody(state: VaultState): Record<string, unknown> {
  return {
    type: "shamir",
    initialized: true,
    sealed: state.sealed,
    t: 1,
    n: 1,
    progress: 0,
    nonce: "",
    version: state.version,
    build_date: "2024-12-16T14:00:53Z",
    migration: false,
    recovery_seal: false,
    storage_type: "inmem",
    ...(state.sealed ? {} : { cluster_name: state.clusterName, cluster_id: state.clusterId }),
  };
}

function header(request: SimRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function tokenOf(request: SimRequest): string | undefined {
  const direct = header(request, "x-vault-token");
  if (direct) return direct;
  const bearer = header(request, "authorization");
  return bearer?.startsWith("Bearer ") ? bearer.slice(7) : undefined;
}

function namespaceOf(request: SimRequest): string {
  return (header(request, "x-vault-namespace") ?? "").replace(/^\/+|\/+$/g, "");
}
