import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startVaultSimulator, type VaultSimulator } from "./server.ts";

// Tests of the simulator check what it does on the wire, so they use Node's fetch directly.
describe("Vault simulator", () => {
  let sim: VaultSimulator;
  beforeEach(async () => {
    sim = await startVaultSimulator({ rootToken: "root-token-for-tests" });
  });
  afterEach(async () => {
    await sim.close();
  });

  async function call(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; namespace?: string; headers?: Record<string, string> } = {},
    // biome-ignore lint/suspicious/noExplicitAny: assertions walk arbitrary Vault JSON
  ): Promise<{ status: number; body: any }> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers["X-Vault-Token"] = options.token;
    if (options.namespace) headers["X-Vault-Namespace"] = options.namespace;
    const response = await fetch(`${sim.url}${path}`, {
      method,
      headers,
      ...(options.body === undefined
        ? {}
        : { body: typeof options.body === "string" ? options.body : JSON.stringify(options.body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
  }
  const root = { token: "root-token-for-tests" };

  it("writes and reads KV v2 secrets with Vault's envelope and metadata", async () => {
    const write = await call("POST", "/v1/secret/data/apps/grafana", {
      ...root,
      body: { data: { pw: "s3cret" } },
    });
    expect(write.status).toBe(200);
    expect(write.body).toMatchObject({
      request_id: expect.any(String),
      lease_id: "",
      renewable: false,
      lease_duration: 0,
      data: { custom_metadata: null, deletion_time: "", destroyed: false, version: 1 },
      wrap_info: null,
      warnings: null,
      auth: null,
    });
    expect(write.body.data.created_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    await call("PUT", "/v1/secret/data/apps/grafana", { ...root, body: { data: { pw: "n3w-secret" } } });
    const read = await call("GET", "/v1/secret/data/apps/grafana", root);
    expect(read.body.data).toEqual({
      data: { pw: "n3w-secret" },
      metadata: expect.objectContaining({
        version: 2,
        deletion_time: "",
        destroyed: false,
        custom_metadata: null,
      }),
    });
    const old = await call("GET", "/v1/secret/data/apps/grafana?version=1", root);
    expect(old.body.data.data).toEqual({ pw: "s3cret" });
  });

  it("answers 404 with an empty error list for a missing secret or an unknown route", async () => {
    expect(await call("GET", "/v1/secret/data/nope", root)).toEqual({ status: 404, body: { errors: [] } });
    expect(await call("GET", "/v1/nomount/data/x", root)).toEqual({ status: 404, body: { errors: [] } });
    expect(await call("GET", "/v2/anything", root)).toEqual({ status: 404, body: { errors: [] } });
    expect((await call("PATCH", "/v1/sys/health")).status).toBe(405);
  });

  it("enforces check-and-set", async () => {
    const body = (cas: number) => ({ data: { a: "1" }, options: { cas } });
    expect((await call("POST", "/v1/secret/data/c", { ...root, body: body(0) })).status).toBe(200);
    const mismatch = await call("POST", "/v1/secret/data/c", { ...root, body: body(0) });
    expect(mismatch).toEqual({
      status: 400,
      body: { errors: ["check-and-set parameter did not match the current version"] },
    });
    expect((await call("POST", "/v1/secret/data/c", { ...root, body: body(1) })).body.data.version).toBe(2);
  });

  it("rejects malformed writes", async () => {
    expect(await call("POST", "/v1/secret/data/c", { ...root, body: "{" })).toMatchObject({ status: 400 });
    expect(await call("POST", "/v1/secret/data/c", { ...root, body: {} })).toEqual({
      status: 400,
      body: { errors: ["no data provided"] },
    });
    expect((await call("POST", "/v1/secret/data/c", { ...root, body: { data: 5 } })).status).toBe(400);
  });

  it("lists keys with folders ending in '/', 404 when empty, and deletes metadata", async () => {
    sim.putSecret("secret", "apps/grafana", { pw: "x" });
    sim.putSecret("secret", "apps/authentik/token", { t: "y" });
    sim.putSecret("secret", "top", { t: "z" });
    const apps = await call("GET", "/v1/secret/metadata/apps/?list=true", root);
    expect(apps.body.data).toEqual({ keys: ["authentik/", "grafana"] });
    const top = await call("GET", "/v1/secret/metadata/?list=true", root);
    expect(top.body.data.keys).toEqual(["apps/", "top"]);
    expect(await call("GET", "/v1/secret/metadata/empty/?list=true", root)).toEqual({
      status: 404,
      body: { errors: [] },
    });
    const meta = await call("GET", "/v1/secret/metadata/apps/grafana", root);
    expect(meta.body.data).toMatchObject({ current_version: 1, versions: { "1": { destroyed: false } } });
    expect((await call("GET", "/v1/secret/metadata/missing", root)).status).toBe(404);
    expect((await call("DELETE", "/v1/secret/metadata/apps/grafana", root)).status).toBe(204);
    expect((await call("GET", "/v1/secret/data/apps/grafana", root)).status).toBe(404);
    expect(sim.readSecret("secret", "apps/grafana")).toBeUndefined();
  });

  it("soft-deletes the latest version: it reads as 404 with its metadata", async () => {
    sim.putSecret("secret", "soft", { a: "1" });
    expect((await call("DELETE", "/v1/secret/data/soft", root)).status).toBe(204);
    const read = await call("GET", "/v1/secret/data/soft", root);
    expect(read.status).toBe(404);
    expect(read.body.data).toMatchObject({ data: null, metadata: { version: 1 } });
    expect(read.body.data.metadata.deletion_time).not.toBe("");
    expect(sim.readSecret("secret", "soft")).toBeUndefined();
    expect((await call("DELETE", "/v1/secret/data/soft", root)).status).toBe(204);
  });

  it("denies requests without a valid token, and what the token's policy does not allow", async () => {
    const denied = { status: 403, body: { errors: ["permission denied"] } };
    expect(await call("GET", "/v1/secret/data/x")).toEqual(denied);
    expect(await call("GET", "/v1/secret/data/x", { token: "hvs.unknown" })).toEqual(denied);
    const token = sim.createToken({ policies: [{ path: "secret/data/apps/*", capabilities: ["read"] }] });
    sim.putSecret("secret", "apps/a", { v: "1" });
    sim.putSecret("secret", "other", { v: "1" });
    expect((await call("GET", "/v1/secret/data/apps/a", { token })).status).toBe(200);
    const policy = await call("GET", "/v1/secret/data/other", { token });
    expect(policy).toEqual({
      status: 403,
      body: { errors: ["1 error occurred:\n\t* permission denied\n\n"] },
    });
    expect((await call("POST", "/v1/secret/data/apps/a", { token, body: { data: { v: "2" } } })).status).toBe(
      403,
    );
    expect((await call("GET", "/v1/secret/metadata/apps/?list=true", { token })).status).toBe(403);
    expect((await call("DELETE", "/v1/secret/metadata/apps/a", { token })).status).toBe(403);
    expect((await call("DELETE", "/v1/secret/data/apps/a", { token })).status).toBe(403);
    expect((await call("GET", "/v1/secret/metadata/apps/a", { token })).status).toBe(403);
    expect((await call("PUT", "/v1/sys/seal", { token })).status).toBe(403);
  });

  it("accepts the token as a Bearer authorization too", async () => {
    sim.putSecret("secret", "b", { v: "1" });
    const response = await call("GET", "/v1/secret/data/b", {
      headers: { Authorization: "Bearer root-token-for-tests" },
    });
    expect(response.status).toBe(200);
  });

  it("keeps each namespace's data apart", async () => {
    await call("POST", "/v1/secret/data/x", { ...root, namespace: "team-a", body: { data: { v: "a" } } });
    await call("POST", "/v1/secret/data/x", { ...root, namespace: "/team-b/", body: { data: { v: "b" } } });
    expect((await call("GET", "/v1/secret/data/x", { ...root, namespace: "team-a" })).body.data.data).toEqual(
      {
        v: "a",
      },
    );
    expect(sim.readSecret("secret", "x", { namespace: "team-b" })).toEqual({ v: "b" });
    expect((await call("GET", "/v1/secret/data/x", root)).status).toBe(404);
  });

  it("seals and unseals: 503 'Vault is sealed' everywhere but health and seal status", async () => {
    sim.seal();
    expect(sim.sealed).toBe(true);
    expect(await call("GET", "/v1/secret/data/x", root)).toEqual({
      status: 503,
      body: { errors: ["Vault is sealed"] },
    });
    const health = await call("GET", "/v1/sys/health");
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ initialized: true, sealed: true });
    expect((await call("GET", "/v1/sys/health?sealedcode=200")).status).toBe(200);
    expect((await call("GET", "/v1/sys/seal-status")).body).toMatchObject({ sealed: true, type: "shamir" });
    expect((await call("POST", "/v1/auth/approle/login", { body: {} })).status).toBe(503);
    sim.unseal();
    const healthy = await call("GET", "/v1/sys/health?standbyok=true");
    expect(healthy.status).toBe(200);
    expect(healthy.body).toMatchObject({
      initialized: true,
      sealed: false,
      standby: false,
      version: "1.18.3",
    });
    expect((await fetch(`${sim.url}/v1/sys/health`, { method: "HEAD" })).status).toBe(200);
  });

  it("seals with PUT /v1/sys/seal and unseals with the key share over HTTP", async () => {
    expect((await call("PUT", "/v1/sys/seal", root)).status).toBe(204);
    expect((await call("PUT", "/v1/sys/unseal", { body: { key: "wrong" } })).status).toBe(400);
    expect((await call("PUT", "/v1/sys/unseal", { body: {} })).status).toBe(400);
    expect((await call("PUT", "/v1/sys/unseal", { body: "{" })).status).toBe(400);
    const unsealed = await call("PUT", "/v1/sys/unseal", { body: { key: sim.unsealKey } });
    expect(unsealed).toMatchObject({ status: 200, body: { sealed: false } });
    const sudo = sim.createToken({ policies: [{ path: "sys/seal", capabilities: ["sudo", "update"] }] });
    expect((await call("PUT", "/v1/sys/seal", { token: sudo })).status).toBe(204);
    expect(sim.sealed).toBe(true);
  });

  it("logs in with AppRole and refuses a wrong secret ID", async () => {
    const { roleId, secretId } = sim.createAppRole("autopilot", {
      policies: [{ path: "secret/data/*", capabilities: ["read"] }],
      tokenTtlSeconds: 600,
    });
    const login = await call("POST", "/v1/auth/approle/login", {
      body: { role_id: roleId, secret_id: secretId },
    });
    expect(login.status).toBe(200);
    expect(login.body.auth).toMatchObject({
      client_token: expect.stringMatching(/^hvs\./),
      lease_duration: 600,
      renewable: true,
      policies: ["default", "approle-autopilot"],
      metadata: { role_name: "autopilot" },
    });
    expect(
      await call("POST", "/v1/auth/approle/login", { body: { role_id: roleId, secret_id: "nope" } }),
    ).toEqual({
      status: 400,
      body: { errors: ["invalid role or secret ID"] },
    });
    expect(await call("POST", "/v1/auth/approle/login", { body: {} })).toEqual({
      status: 400,
      body: { errors: ["missing role_id"] },
    });
    expect(
      (await call("POST", "/v1/auth/other/login", { body: { role_id: roleId, secret_id: secretId } })).status,
    ).toBe(400);
  });

  it("expires tokens on its clock, renews them up to the max TTL, and looks them up", async () => {
    let now = Date.parse("2025-01-01T00:00:00Z");
    sim.setClock(() => now);
    const token = sim.createToken({ policies: [], ttlSeconds: 60, maxTtlSeconds: 100 });
    const lookup = await call("GET", "/v1/auth/token/lookup-self", { token });
    expect(lookup.body.data).toMatchObject({
      ttl: 60,
      creation_ttl: 60,
      renewable: true,
      expire_time: "2025-01-01T00:01:00.000000Z",
      policies: ["default", "sandbox-token"],
      explicit_max_ttl: 100,
    });
    expect(lookup.body.data).not.toHaveProperty("id");
    expect(JSON.stringify(lookup.body)).not.toContain(token);
    now += 50_000;
    const renewed = await call("POST", "/v1/auth/token/renew-self", { token });
    expect(renewed.body.auth).toMatchObject({ lease_duration: 50, renewable: true });
    expect(renewed.body.warnings?.[0]).toMatch(/capped/);
    now += 49_000;
    const early = await call("POST", "/v1/auth/token/renew-self", { token });
    expect(early.body.auth.lease_duration).toBe(1);
    now += 2_000;
    expect(await call("GET", "/v1/auth/token/lookup-self", { token })).toEqual({
      status: 403,
      body: { errors: ["permission denied"] },
    });
    const plain = sim.createToken({ policies: [], ttlSeconds: 60 });
    now += 30_000;
    const full = await call("PUT", "/v1/auth/token/renew-self", { token: plain });
    expect(full.body).toMatchObject({ auth: { lease_duration: 60 }, warnings: null });
  });

  it("refuses to renew a token that is not renewable", async () => {
    const fixed = sim.createToken({ policies: [], ttlSeconds: 60, renewable: false });
    expect(await call("POST", "/v1/auth/token/renew-self", { token: fixed })).toEqual({
      status: 400,
      body: { errors: ["lease is not renewable"] },
    });
    expect((await call("POST", "/v1/auth/token/renew-self", root)).status).toBe(400);
    const lookup = await call("GET", "/v1/auth/token/lookup-self", root);
    expect(lookup.body.data).toMatchObject({ ttl: 0, expire_time: null, policies: ["root"] });
  });

  it("answers injected faults with Vault's error body and logs every request", async () => {
    sim.faults.set({ errorRate: 1 });
    expect(await call("GET", "/v1/sys/health")).toEqual({
      status: 503,
      body: { errors: ["internal error"] },
    });
    sim.faults.set({ throttleRate: 1 });
    expect((await call("GET", "/v1/sys/health")).status).toBe(429);
    sim.faults.set({});
    const log = await (await fetch(`${sim.url}/__sandbox/requests`)).json();
    expect(log).toHaveLength(2);
  });

  it("honours policy globs: '+' for one segment, the most specific rule, and deny", async () => {
    const token = sim.createToken({
      policies: [
        { path: "secret/data/+/db", capabilities: ["read"] },
        { path: "secret/data/team/*", capabilities: ["read", "create", "update"] },
        { path: "secret/data/team/locked", capabilities: ["deny"] },
      ],
    });
    sim.putSecret("secret", "a/db", { v: "1" });
    sim.putSecret("secret", "a/b/db", { v: "1" });
    sim.putSecret("secret", "team/locked", { v: "1" });
    expect((await call("GET", "/v1/secret/data/a/db", { token })).status).toBe(200);
    expect((await call("GET", "/v1/secret/data/a/b/db", { token })).status).toBe(403);
    expect((await call("POST", "/v1/secret/data/team/x", { token, body: { data: { v: "1" } } })).status).toBe(
      200,
    );
    expect((await call("GET", "/v1/secret/data/team/locked", { token })).status).toBe(403);
  });
});
