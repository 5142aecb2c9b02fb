import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HttpClient } from "../../http/types.ts";
import { startVaultSimulator, type VaultSimulator } from "../../sandbox/vault/server.ts";
import { redactor } from "../redactor.ts";
import { tokenAuth } from "./vault-auth.ts";
import { createVaultClient } from "./vault-client.ts";
import { createVaultStore } from "./vault-store.ts";
import { simHttpClient } from "./vault-test-kit.ts";

describe("Vault secret store", () => {
  let sim: VaultSimulator;
  let http: HttpClient;
  beforeEach(async () => {
    sim = await startVaultSimulator();
    http = simHttpClient(sim);
  });
  afterEach(async () => {
    await http.close();
    await sim.close();
    redactor.clear();
  });

  const store = (path = "autopilot", namespace?: string) =>
    createVaultStore({
      client: createVaultClient({
        http,
        auth: tokenAuth(sim.rootToken),
        ...(namespace ? { namespace } : {}),
      }),
      mount: "secret",
      path,
    });

  it("keeps each secret in its own KV entry under the key 'value'", async () => {
    const secrets = store("/autopilot/");
    expect(secrets.kind).toBe("vault");
    expect(secrets.location).toBe("Vault secret/autopilot");
    expect(secrets.whereIs("grafana_token")).toBe('Vault at secret/autopilot/grafana_token (key "value")');
    await secrets.set("grafana_token", "glsa_token_value");
    await secrets.set("authentik_token", "ak_token_value");
    expect(sim.readSecret("secret", "autopilot/grafana_token")).toEqual({ value: "glsa_token_value" });
    expect(await secrets.get("grafana_token")).toBe("glsa_token_value");
    expect(await secrets.get("missing")).toBeUndefined();
  });

  it("lists names with their last update, ignoring sub-folders and foreign keys", async () => {
    const secrets = store();
    await secrets.set("b_secret", "value-b");
    await secrets.set("a_secret", "value-a");
    sim.putSecret("secret", "autopilot/nested/deeper", { value: "x" });
    expect(await secrets.list()).toEqual([
      { name: "a_secret", updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) },
      { name: "b_secret", updatedAt: expect.any(String) },
    ]);
    expect(await store("empty").list()).toEqual([]);
  });

  it("deletes a secret and says whether it existed", async () => {
    const secrets = store();
    await secrets.set("gone", "value-gone");
    expect(await secrets.delete("gone")).toBe(true);
    expect(await secrets.delete("gone")).toBe(false);
    expect(await secrets.get("gone")).toBeUndefined();
  });

  it("validates names and values before calling Vault", async () => {
    const secrets = store();
    await expect(secrets.set("bad/name", "abcd")).rejects.toMatchObject({ kind: "invalid" });
    await expect(secrets.get("bad/name")).rejects.toMatchObject({ kind: "invalid" });
    await expect(secrets.delete("bad/name")).rejects.toMatchObject({ kind: "invalid" });
    await expect(secrets.set("short", "abc")).rejects.toThrow(/shorter than 4/);
    expect(sim.log.all()).toEqual([]);
  });

  it("names the namespace and works at the mount's root", async () => {
    const secrets = store("", "team-a");
    expect(secrets.location).toBe("Vault secret/ (namespace team-a)");
    await secrets.set("root_level", "value-root");
    expect(sim.readSecret("secret", "root_level", { namespace: "team-a" })).toEqual({ value: "value-root" });
    expect((await secrets.list()).map((entry) => entry.name)).toEqual(["root_level"]);
  });
});
