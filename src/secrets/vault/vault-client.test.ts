import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { HttpClient } from "../../http/types.ts";
import { createLogger, logger, memoryDestination, setLogger } from "../../observability/logger.ts";
import { startVaultSimulator, type VaultSimulator } from "../../sandbox/vault/server.ts";
import { MASK, redactor } from "../redactor.ts";
import { SecretError } from "../secret-error.ts";
import { appRoleAuth, tokenAuth } from "./vault-auth.ts";
import { createVaultClient } from "./vault-client.ts";
import { requestsTo, simHttpClient } from "./vault-test-kit.ts";

describe("Vault client", () => {
  let sim: VaultSimulator;
  let http: HttpClient;
  beforeEach(async () => {
    sim = await startVaultSimulator({ rootToken: "hvs.root-token-under-test" });
    http = simHttpClient(sim);
  });
  afterEach(async () => {
    await http.close();
    await sim.close();
    redactor.clear();
  });

  const rootClient = (namespace?: string) =>
    createVaultClient({ http, auth: tokenAuth(sim.rootToken), ...(namespace ? { namespace } : {}) });

  it("writes, reads, lists and deletes KV v2 secrets with a token", async () => {
    const vault = rootClient();
    expect(await vault.writeKv("secret", "apps/grafana", { admin_password: "pa55-word" })).toEqual({
      version: 1,
    });
    await vault.writeKv("secret", "apps/authentik/bootstrap", { token: "ak-token-1" });
    expect(await vault.readKv("secret", "apps/grafana")).toEqual({
      data: { admin_password: "pa55-word" },
      version: 1,
    });
    expect(await vault.listKv("secret", "apps")).toEqual(["authentik/", "grafana"]);
    expect(await vault.listKv("secret", "")).toEqual(["apps/"]);
    const metadata = await vault.readKvMetadata("secret", "apps/grafana");
    expect(metadata).toMatchObject({ currentVersion: 1, updatedTime: expect.stringMatching(/Z$/) });
    await vault.deleteKv("secret", "apps/grafana");
    expect(await vault.readKv("secret", "apps/grafana")).toBeUndefined();
    expect(await vault.readKvMetadata("secret", "apps/grafana")).toBeUndefined();
    const sent = sim.log.all().find((entry) => entry.method === "GET" && entry.path.endsWith("/apps/"));
    expect(sent?.path).toBe("/v1/secret/metadata/apps/");
  });

  it("returns undefined for a missing secret and [] for an empty folder", async () => {
    const vault = rootClient();
    expect(await vault.readKv("secret", "nope")).toBeUndefined();
    expect(await vault.listKv("secret", "nothing/here/")).toEqual([]);
  });

  it("gives non-string values as JSON text and registers every value with the redactor", async () => {
    sim.putSecret("secret", "mixed", { port: 5432, nested: { a: 1 }, password: "hunter2-long" });
    const secret = await rootClient().readKv("secret", "mixed");
    expect(secret?.data).toEqual({ port: "5432", nested: '{"a":1}', password: "hunter2-long" });
    expect(redactor.redact("pw hunter2-long")).toBe(`pw ${MASK}`);
  });

  it("reads a soft-deleted secret as missing", async () => {
    sim.putSecret("secret", "gone", { v: "value" });
    await fetch(`${sim.url}/v1/secret/data/gone`, {
      method: "DELETE",
      headers: { "X-Vault-Token": sim.rootToken },
    });
    expect(await rootClient().readKv("secret", "gone")).toBeUndefined();
  });

  it("refuses paths that could leave the mount", async () => {
    const vault = rootClient();
    await expect(vault.readKv("secret", "../sys/seal")).rejects.toMatchObject({ kind: "invalid" });
    await expect(vault.readKv("bad mount", "x")).rejects.toThrow(/not a valid Vault KV path/);
    await expect(vault.writeKv("secret", "a//b", { v: "1234" })).rejects.toThrow(SecretError);
  });

  it("uses check-and-set and reports Vault's reason when it fails", async () => {
    const vault = rootClient();
    await vault.writeKv("secret", "cas", { v: "first" }, 0);
    await expect(vault.writeKv("secret", "cas", { v: "again" }, 0)).rejects.toMatchObject({
      kind: "invalid",
      message: "Vault refused to write secret/cas: check-and-set parameter did not match the current version",
    });
    expect(await vault.writeKv("secret", "cas", { v: "second" }, 1)).toEqual({ version: 2 });
  });

  it("isolates namespaces with the X-Vault-Namespace header", async () => {
    await rootClient("team-a").writeKv("secret", "db", { password: "team-a-pass" });
    expect(await rootClient("team-b").readKv("secret", "db")).toBeUndefined();
    expect(await rootClient("/team-a/").readKv("secret", "db")).toMatchObject({
      data: { password: "team-a-pass" },
    });
    expect(sim.readSecret("secret", "db", { namespace: "team-a" })).toEqual({ password: "team-a-pass" });
    expect(rootClient("team-a").namespace).toBe("team-a");
  });

  it("explains a policy denial without revealing the token", async () => {
    const token = sim.createToken({ policies: [{ path: "secret/data/apps/*", capabilities: ["read"] }] });
    sim.putSecret("secret", "infra/db", { password: "x-secret" });
    const vault = createVaultClient({ http, auth: tokenAuth(token) });
    const error = await vault.readKv("secret", "infra/db").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SecretError);
    expect(error).toMatchObject({
      kind: "auth",
      message: "Vault denied access to secret/infra/db: permission denied",
      hint: expect.stringContaining('grants "read" on secret/data/infra/db'),
    });
    expect(JSON.stringify({ message: String(error), json: (error as SecretError).toJSON() })).not.toContain(
      token,
    );
    await expect(vault.listKv("secret", "apps")).rejects.toMatchObject({
      hint: expect.stringContaining('"list" on secret/metadata/apps'),
    });
  });

  it("reports a wrong, expired or revoked token clearly", async () => {
    const vault = createVaultClient({ http, auth: tokenAuth("hvs.not-a-real-token") });
    const error = await vault.readKv("secret", "x").catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      kind: "auth",
      message: expect.stringMatching(/wrong, expired or revoked/),
    });
    expect(String(error)).not.toContain("hvs.not-a-real-token");
  });

  it("says Vault is sealed, and reports health in every state", async () => {
    const vault = rootClient();
    expect(await vault.health()).toEqual({
      initialized: true,
      sealed: false,
      standby: false,
      version: "1.18.3",
    });
    await vault.readKv("secret", "warm-up"); // the token lookup happens before sealing
    sim.seal();
    await expect(vault.readKv("secret", "x")).rejects.toMatchObject({
      kind: "unavailable",
      message: expect.stringMatching(/^Vault is sealed/),
      hint: expect.stringContaining("unseal"),
      retryable: true,
    });
    expect(await vault.health()).toMatchObject({ sealed: true });
    await expect(rootClient().lookupSelf()).rejects.toThrow(/Vault is sealed/);
    sim.unseal();
    expect((await vault.readKv("secret", "x")) ?? "missing").toBe("missing");
  });

  it("passes other failures through as the HTTP core's typed errors", async () => {
    const vault = rootClient();
    await vault.readKv("secret", "warm-up");
    sim.faults.set({ errorRate: 1, errorStatus: 502 });
    await expect(vault.readKv("secret", "x")).rejects.toMatchObject({ kind: "unavailable", status: 502 });
    await expect(vault.health()).rejects.toMatchObject({ status: 502 });
    sim.faults.set({});
    await expect(vault.writeKv("nomount", "x", { v: "abcd" })).rejects.toMatchObject({
      kind: "not-found",
      hint: expect.stringContaining('mounted at "nomount"'),
    });
  });

  it("passes transport failures at login or token lookup through unchanged", async () => {
    sim.faults.set({ errorRate: 1, errorStatus: 502 });
    await expect(rootClient().readKv("secret", "x")).rejects.toMatchObject({
      status: 502,
      route: "/v1/auth/token/lookup-self",
    });
    const { roleId, secretId } = sim.createAppRole("autopilot", { policies: [] });
    const approle = createVaultClient({ http, auth: appRoleAuth({ roleId, secretId }) });
    await expect(approle.readKv("secret", "x")).rejects.toMatchObject({
      status: 502,
      route: "/v1/auth/{mount}/login",
    });
  });

  it("lets the HTTP core retry a reset or a 503 on a read", async () => {
    const vault = rootClient();
    sim.putSecret("secret", "retry", { v: "retried-value" });
    await vault.readKv("secret", "warm-up");
    sim.log.clear();
    vi.spyOn(sim.faults, "decide")
      .mockReturnValueOnce({ kind: "reset" })
      .mockReturnValueOnce({ kind: "error", status: 503 });
    expect(await vault.readKv("secret", "retry")).toMatchObject({ data: { v: "retried-value" } });
    const reads = sim.log.all().filter((entry) => entry.path === "/v1/secret/data/retry");
    expect(reads.map((entry) => entry.status)).toEqual([0, 503, 200]);
  });

  it("looks up its own token", async () => {
    const token = sim.createToken({ policies: [], ttlSeconds: 120 });
    const info = await createVaultClient({ http, auth: tokenAuth(token) }).lookupSelf();
    expect(info).toMatchObject({
      policies: ["default", "sandbox-token"],
      renewable: true,
      expireTime: expect.any(String),
    });
    expect(info.ttl).toBeGreaterThan(100);
    expect(await rootClient().lookupSelf()).toMatchObject({ ttl: 0, expireTime: null, policies: ["root"] });
  });

  describe("token renewal", () => {
    it("renews a token once less than a third of its TTL is left, and fails clearly once it expired", async () => {
      let now = Date.parse("2025-01-01T00:00:00Z");
      sim.setClock(() => now);
      const token = sim.createToken({
        policies: [{ path: "secret/*", capabilities: ["read"] }],
        ttlSeconds: 90,
        maxTtlSeconds: 200,
      });
      sim.putSecret("secret", "x", { v: "abcd" });
      const vault = createVaultClient({ http, auth: tokenAuth(token, { now: () => now }) });
      await vault.readKv("secret", "x");
      now += 50_000; // 40 s of 90 left: more than a third
      await vault.readKv("secret", "x");
      expect(requestsTo(sim, "/v1/auth/token/renew-self")).toBe(0);
      now += 20_000; // 20 s left: renew
      await vault.readKv("secret", "x");
      expect(requestsTo(sim, "/v1/auth/token/renew-self")).toBe(1);
      now += 80_000; // renewed to 90 s at t=70; at t=150 10 s left, max TTL caps renewal at t=200
      await vault.readKv("secret", "x");
      expect(requestsTo(sim, "/v1/auth/token/renew-self")).toBe(2);
      now += 20_000; // capped: still valid, no further renewal attempts
      await vault.readKv("secret", "x");
      expect(requestsTo(sim, "/v1/auth/token/renew-self")).toBe(2);
      now += 40_000; // past the max TTL
      await expect(vault.readKv("secret", "x")).rejects.toMatchObject({
        kind: "auth",
        message: expect.stringMatching(/expired or revoked/),
      });
    });

    it("logs in with AppRole, renews when the TTL runs low, and logs in again after the max TTL", async () => {
      let now = Date.parse("2025-01-01T00:00:00Z");
      sim.setClock(() => now);
      const { roleId, secretId } = sim.createAppRole("autopilot", {
        policies: [{ path: "secret/data/*", capabilities: ["read"] }],
        tokenTtlSeconds: 60,
        tokenMaxTtlSeconds: 100,
      });
      sim.putSecret("secret", "app", { v: "app-value" });
      const auth = appRoleAuth({ roleId, secretId, now: () => now });
      expect(auth.method).toBe("approle");
      const vault = createVaultClient({ http, auth });
      const logins = () => requestsTo(sim, "/v1/auth/approle/login");
      const renewals = () => requestsTo(sim, "/v1/auth/token/renew-self");

      await Promise.all([vault.readKv("secret", "app"), vault.readKv("secret", "app")]);
      expect([logins(), renewals()]).toEqual([1, 0]);
      now += 45_000; // 15 s of 60 left
      await vault.readKv("secret", "app");
      expect([logins(), renewals()]).toEqual([1, 1]);
      now += 45_000; // at t=90: 15 s left, renewal capped at t=100 (10 s) → log in again
      expect(await vault.readKv("secret", "app")).toMatchObject({ data: { v: "app-value" } });
      expect([logins(), renewals()]).toEqual([2, 2]);
      now += 200_000; // the new token expired long ago: log in again without trying to renew
      await vault.readKv("secret", "app");
      expect([logins(), renewals()]).toEqual([3, 2]);
      expect(redactor.size).toBeGreaterThan(0);
    });

    it("logs in again once when Vault refuses an AppRole token it considered valid", async () => {
      let simNow = Date.parse("2025-01-01T00:00:00Z");
      sim.setClock(() => simNow);
      const { roleId, secretId } = sim.createAppRole("autopilot", {
        policies: [{ path: "secret/data/*", capabilities: ["read", "create", "update"] }],
        tokenTtlSeconds: 60,
      });
      const clientNow = Date.parse("2025-01-01T00:00:00Z");
      const vault = createVaultClient({
        http,
        auth: appRoleAuth({ roleId, secretId, now: () => clientNow }),
      });
      await vault.writeKv("secret", "a", { v: "value-a" });
      simNow += 120_000; // Vault expired the token; the client's clock has not moved
      expect(await vault.readKv("secret", "a")).toMatchObject({ data: { v: "value-a" } });
      expect(requestsTo(sim, "/v1/auth/approle/login")).toBe(2);
    });

    it("stops after one fresh login when the policy itself denies", async () => {
      const { roleId, secretId } = sim.createAppRole("narrow", {
        policies: [{ path: "secret/data/apps/*", capabilities: ["read"] }],
      });
      const vault = createVaultClient({ http, auth: appRoleAuth({ roleId, secretId }) });
      await expect(vault.readKv("secret", "infra/db")).rejects.toThrow(
        "Vault denied access to secret/infra/db: permission denied",
      );
      expect(requestsTo(sim, "/v1/auth/approle/login")).toBe(2);
    });

    it("reports a wrong secret ID and a sealed Vault at login", async () => {
      const { roleId } = sim.createAppRole("autopilot", { policies: [] });
      const vault = createVaultClient({
        http,
        auth: appRoleAuth({ roleId, secretId: "wrong-secret-id", mount: "approle" }),
      });
      const error = await vault.readKv("secret", "x").catch((caught: unknown) => caught);
      expect(error).toMatchObject({
        kind: "auth",
        message: "Vault AppRole login at auth/approle failed: invalid role or secret ID",
      });
      expect(String(error)).not.toContain("wrong-secret-id");
      sim.seal();
      await expect(vault.readKv("secret", "x")).rejects.toThrow(/Vault is sealed/);
    });

    it("keeps using a still-valid token when renewal cannot reach Vault", async () => {
      let now = Date.parse("2025-01-01T00:00:00Z");
      sim.setClock(() => now);
      const { roleId, secretId } = sim.createAppRole("autopilot", {
        policies: [{ path: "secret/data/*", capabilities: ["read"] }],
        tokenTtlSeconds: 60,
      });
      const vault = createVaultClient({ http, auth: appRoleAuth({ roleId, secretId, now: () => now }) });
      await vault.readKv("secret", "x");
      now += 50_000;
      vi.spyOn(sim.faults, "decide")
        .mockReturnValueOnce({ kind: "error", status: 500 })
        .mockReturnValueOnce({ kind: "error", status: 500 })
        .mockReturnValueOnce({ kind: "error", status: 500 });
      const previous = logger();
      const logs = memoryDestination();
      setLogger(createLogger({ destination: logs.stream, pretty: false, level: "info" }));
      try {
        expect(await vault.readKv("secret", "x")).toBeUndefined();
      } finally {
        setLogger(previous);
      }
      expect(requestsTo(sim, "/v1/auth/approle/login")).toBe(1);
      expect(logs.lines().join("\n")).toMatch(/vault token renewal failed; will retry/);
    });
  });
});
