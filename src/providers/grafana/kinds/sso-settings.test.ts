import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { DesiredResource } from "../../../engine/resource.ts";
import { createLogger, memoryDestination, setLogger } from "../../../observability/logger.ts";
import { type GrafanaHarness, grafanaHarness } from "../grafana-harness.fixture.ts";
import { parseEnvFile } from "../sso-env-file.ts";

const sso = (secret = "${secret:client_secret}"): DesiredResource => ({
  ref: { target: "grafana", kind: "sso-settings", key: "generic_oauth" },
  spec: {
    provider: "generic_oauth",
    settings: {
      enabled: true,
      name: "Authentik",
      clientId: "grafana",
      clientSecret: secret,
      scopes: "openid profile email",
      authUrl: "https://auth.lab/application/o/authorize/",
      tokenUrl: "https://auth.lab/application/o/token/",
      apiUrl: "https://auth.lab/application/o/userinfo/",
      signoutRedirectUrl: "https://auth.lab/application/o/grafana/end-session/",
      roleAttributePath: "contains(groups[*], 'admins') && 'Admin' || 'Viewer'",
      usePkce: true,
    },
  },
});

describe("Grafana SSO settings", () => {
  let h: GrafanaHarness;
  afterEach(async () => {
    await h.close();
  });

  it("stores the settings through the admin login, then compares the masked secret by digest", async () => {
    h = await grafanaHarness({ secretValues: { client_secret: "first-client-secret" } });
    expect((await h.apply([sso("first-client-secret")])).converged).toBe(true);
    expect(h.sim.state.sso.get("generic_oauth")?.settings).toMatchObject({
      enabled: true,
      clientId: "grafana",
      clientSecret: "first-client-secret",
      authUrl: "https://auth.lab/application/o/authorize/",
    });
    const before = h.sim.server.log.writes().length;
    expect((await h.plan([sso("first-client-secret")])).plan.actions.map((a) => a.type)).toEqual(["noop"]);
    const changed = await h.plan([sso("second-client-secret")]);
    expect(changed.plan.actions[0]?.changes).toEqual([
      { path: "settings.clientSecret", before: "(set)", after: "second-client-secret", sensitive: true },
    ]);
    expect(h.sim.server.log.writes().length - before).toBe(0);
    await h.execute([sso("second-client-secret")], changed);
    expect(h.sim.state.sso.get("generic_oauth")?.settings.clientSecret).toBe("second-client-secret");
  });

  it("rewrites the settings when someone resets them to the system defaults (DELETE)", async () => {
    h = await grafanaHarness();
    await h.apply([sso("a-client-secret-value")]);
    h.sim.state.sso.delete("generic_oauth");
    const plan = await h.plan([sso("a-client-secret-value")]);
    expect(plan.plan.actions[0]?.changes.map((c) => c.path)).toContain("settings.clientSecret");
    await h.execute([sso("a-client-secret-value")], plan);
    expect(h.sim.state.sso.get("generic_oauth")?.settings.clientSecret).toBe("a-client-secret-value");
  });

  it.each([
    ["missing (404, Grafana without the SSO API)", { ssoSettingsApi: false }],
    ["refused (403, no server-admin login)", { admin: false }],
  ])("writes a 0600 env file instead when the API is %s, and says so", async (_name, options) => {
    const logs = memoryDestination();
    setLogger(createLogger({ destination: logs.stream, level: "warn" }));
    h = await grafanaHarness(options);
    const plan = await h.plan([sso("env-client-secret")]);
    expect(plan.plan.actions[0]?.changes.map((c) => c.path)).toContain("GF_AUTH_GENERIC_OAUTH_CLIENT_ID");
    expect(
      plan.plan.actions[0]?.changes.find((c) => c.path === "GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET"),
    ).toMatchObject({
      sensitive: true,
    });
    expect((await h.execute([sso("env-client-secret")], plan)).converged).toBe(true);
    const file = join(h.dir, "grafana-generic-oauth.env");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(parseEnvFile(readFileSync(file, "utf8"))).toEqual({
      GF_AUTH_GENERIC_OAUTH_ENABLED: "true",
      GF_AUTH_GENERIC_OAUTH_NAME: "Authentik",
      GF_AUTH_GENERIC_OAUTH_CLIENT_ID: "grafana",
      GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: "env-client-secret",
      GF_AUTH_GENERIC_OAUTH_SCOPES: "openid profile email",
      GF_AUTH_GENERIC_OAUTH_AUTH_URL: "https://auth.lab/application/o/authorize/",
      GF_AUTH_GENERIC_OAUTH_TOKEN_URL: "https://auth.lab/application/o/token/",
      GF_AUTH_GENERIC_OAUTH_API_URL: "https://auth.lab/application/o/userinfo/",
      GF_AUTH_SIGNOUT_REDIRECT_URL: "https://auth.lab/application/o/grafana/end-session/",
      GF_AUTH_GENERIC_OAUTH_ROLE_ATTRIBUTE_PATH: "contains(groups[*], 'admins') && 'Admin' || 'Viewer'",
      GF_AUTH_GENERIC_OAUTH_USE_PKCE: "true",
    });
    expect(logs.lines().join("\n")).toContain("grafana-generic-oauth.env");
    expect(logs.lines().join("\n")).not.toContain("env-client-secret");
    expect((await h.plan([sso("env-client-secret")])).plan.actions[0]?.type).toBe("noop");
    expect(h.sim.state.sso.size).toBe(0);
  });

  it("marks only the SSO settings invalid when the admin login is refused, and manages the rest", async () => {
    h = await grafanaHarness({ adminPassword: "right-password-value" });
    h.sim.state.admin.password = "changed-password-value";
    const folder: DesiredResource = {
      ref: { target: "grafana", kind: "folder", key: "f" },
      spec: { uid: "f", title: "F", parentUid: "" },
    };
    const result = await h.apply([sso("some-client-secret"), folder]);
    expect(result.results.map((r) => [r.ref.kind, r.type, r.status])).toEqual([
      ["sso-settings", "invalid", "failed"],
      ["folder", "create", "succeeded"],
    ]);
    expect(result.results[0]?.error?.kind).toBe("invalid");
    expect(h.sim.state.org().folders.has("f")).toBe(true);
  });

  it("converges after a lost answer to its PUT, which the HTTP core repeats (a PUT is idempotent)", async () => {
    h = await grafanaHarness();
    const plan = await h.plan([sso("lost-client-secret")]);
    h.faultAt(1, { kind: "lose-response" });
    const result = await h.execute([sso("lost-client-secret")], plan);
    expect(result.converged).toBe(true);
    const puts = h.sim.server.log.all().filter((entry) => entry.method === "PUT");
    expect(puts.map((entry) => entry.fault ?? "answered")).toEqual(["lose-response", "answered"]);
    expect(h.sim.state.sso.get("generic_oauth")?.settings.clientSecret).toBe("lost-client-secret");
  });
});
