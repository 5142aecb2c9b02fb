import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseEnvFile } from "../../src/providers/grafana/sso-env-file.ts";
import type { ProviderRecord } from "../../src/sandbox/authentik/records.ts";
import { type AuthentikSimulator, startAuthentikSimulator } from "../../src/sandbox/authentik/server.ts";
import type { DashboardRecord } from "../../src/sandbox/grafana/models.ts";
import { type GrafanaSimulator, startGrafanaSimulator } from "../../src/sandbox/grafana/server.ts";
import { redactor } from "../../src/secrets/redactor.ts";
import { runCli } from "../helpers/cli.ts";
import { labDir } from "../helpers/lab-dir.ts";

/**
 * Autopilot against the Grafana simulator (and, for SSO, the Authentik simulator), end to end
 * through the command line. The simulators check every request and answer against the vendors'
 * OpenAPI documents.
 */
const nasDashboard = {
  title: "NAS",
  uid: "nas",
  schemaVersion: 39,
  tags: ["storage"],
  panels: [{ id: 1, type: "stat", title: "Free space", targets: [{ expr: "node_filesystem_free_bytes" }] }],
};
const LOKI_PASSWORD = "loki-password-first";
const HOOK_URL = "https://hooks.lab.example.com/T000/secret-hook-path";

describe("Grafana end to end", () => {
  let sim: GrafanaSimulator;
  let lab: ReturnType<typeof labDir>;
  let env: NodeJS.ProcessEnv;
  let outputs: string[];

  const grafanaTarget = (extra: Record<string, unknown> = {}) => ({
    url: sim.url,
    token: "${env:GF_TOKEN}",
    basicAuth: { username: sim.adminUser, password: "${env:GF_ADMIN}" },
    http: { maxAttempts: 6 },
    ...extra,
  });
  const writeConfig = (overrides: Record<string, unknown> = {}) =>
    lab.write({
      targets: { grafana: grafanaTarget(), prometheus: { url: "http://127.0.0.1:9090" } },
      services: [
        { name: "NAS", group: "Storage", href: "https://nas.lab.example.com", monitor: true, alert: true },
        {
          name: "Grafana",
          group: "Monitoring",
          href: "https://grafana.lab.example.com",
          widget: {
            type: "grafana",
            url: "https://grafana.lab.example.com",
            username: "api_key",
            password: "${secret:grafana_sa_homepage_token}",
          },
        },
      ],
      monitoring: {
        datasources: [
          {
            name: "Loki",
            type: "loki",
            url: "http://loki:3100",
            secureJsonData: { basicAuthPassword: "${secret:loki_pw}" },
          },
        ],
        folders: [{ title: "Storage", uid: "storage" }],
        dashboards: [{ file: "./dashboards/nas.json", folder: "Storage" }],
        teams: [{ name: "Ops", email: "ops@lab.example.com" }],
        alerts: {
          contactPoints: [{ name: "ops-hook", type: "webhook", settings: { url: "${secret:hook_url}" } }],
          policy: {
            receiver: "ops-hook",
            routes: [{ receiver: "ops-hook", matchers: ["severity=critical"] }],
          },
          rules: [
            {
              title: "Disk almost full",
              folder: "Storage",
              group: "disks",
              expr: "disk_free < 0.1",
              for: "5m",
            },
          ],
        },
      },
      ...overrides,
    });
  const cli = async (...args: string[]) => {
    const run = await runCli(args, { cwd: lab.dir, env });
    outputs.push(run.stdout, run.stderr);
    return run;
  };
  const setSecret = (name: string, value: string) =>
    runCli(["secrets", "set", name], { cwd: lab.dir, env, input: value });
  const writes = () => sim.server.log.writes();
  const org = () => sim.state.org();
  const dashboard = (uid: string) => org().dashboards.get(uid) as DashboardRecord;
  const storedKey = async () =>
    (
      await runCli(["secrets", "get", "grafana_sa_homepage_token", "--reveal"], { cwd: lab.dir, env })
    ).stdout.trim();

  beforeEach(async () => {
    sim = await startGrafanaSimulator();
    lab = labDir({});
    env = { ...lab.env, GF_TOKEN: sim.token, GF_ADMIN: sim.adminPassword };
    outputs = [];
    mkdirSync(join(lab.dir, "dashboards"));
    writeFileSync(join(lab.dir, "dashboards", "nas.json"), JSON.stringify(nasDashboard));
    writeConfig();
    expect((await cli("secrets", "init")).code).toBe(0);
    expect((await setSecret("loki_pw", LOKI_PASSWORD)).code).toBe(0);
    expect((await setSecret("hook_url", HOOK_URL)).code).toBe(0);
  });
  afterEach(async () => {
    await sim.close();
    redactor.clear();
  });

  it("converges from empty with every object right, then a second apply makes zero writes", async () => {
    const apply = await cli("apply", "--yes");
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);

    expect(org().datasources.get("loki")).toMatchObject({
      type: "loki",
      secureJsonData: { basicAuthPassword: LOKI_PASSWORD },
    });
    expect(org().datasources.get("autopilot-prometheus")).toMatchObject({
      type: "prometheus",
      url: "http://127.0.0.1:9090",
    });
    expect([...org().folders.values()].map((f) => [f.uid, f.title]).sort()).toEqual([
      ["autopilot", "Autopilot"],
      ["storage", "Storage"],
    ]);
    expect(dashboard("nas")).toMatchObject({ folderUid: "storage", version: 1 });
    expect(dashboard("autopilot-overview")).toMatchObject({ folderUid: "autopilot", title: "Autopilot" });
    expect(dashboard("autopilot-services").model.panels).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: "stat", title: "NAS" })]),
    );
    // A webhook's url is not one of Grafana's secret settings: stored (and shown) as given.
    expect(org().contactPoints.find((p) => p.name === "ops-hook")).toMatchObject({
      provenance: "",
      settings: { url: HOOK_URL },
    });
    expect(sim.state.policy()).toMatchObject({ provenance: "", route: { receiver: "ops-hook" } });
    expect([...org().alertRules.values()].map((r) => [r.title, r.folderUid, r.provenance]).sort()).toEqual([
      ["Disk almost full", "storage", ""],
      ["NAS is down", "autopilot", ""],
    ]);
    expect([...org().teams.values()].map((t) => t.name)).toEqual(["Ops"]);
    const key = await storedKey();
    expect(sim.state.findToken(key)).toMatchObject({ name: "autopilot-homepage-widget", isRevoked: false });

    const before = writes().length;
    const again = await cli("apply", "--yes");
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("No changes");
    expect((await cli("plan", "--detailed-exitcode")).code).toBe(0);
    expect(writes().length - before).toBe(0);
    for (const secret of [LOKI_PASSWORD, HOOK_URL, key, sim.adminPassword]) {
      for (const output of outputs) expect(output).not.toContain(secret);
    }
  });

  it("finds a dashboard edited in Grafana (drift exits 2) and apply restores it", async () => {
    await cli("apply", "--yes");
    const edited = structuredClone(dashboard("nas").model) as typeof nasDashboard;
    (edited.panels[0] as { title: string }).title = "Edited in the UI";
    dashboard("nas").model = edited;
    sim.state.bumpDashboardVersion("nas");

    const drift = await cli("drift");
    expect(drift.code).toBe(2);
    expect(drift.stdout).toContain("~ grafana/dashboard/nas  drift");
    expect(drift.stdout).toContain('model.panels[0].title: "Edited in the UI" → "Free space"');
    expect((await cli("apply", "--yes")).code).toBe(0);
    expect((dashboard("nas").model.panels as { title: string }[])[0]?.title).toBe("Free space");
    expect((await cli("drift")).code).toBe(0);
  });

  it("handles a concurrent save (412) by reading again and saving once more, losing nothing", async () => {
    await cli("apply", "--yes");
    writeFileSync(
      join(lab.dir, "dashboards", "nas.json"),
      JSON.stringify({ ...nasDashboard, title: "NAS (main)" }),
    );
    // Someone saves the dashboard in the UI right after Autopilot read it for the plan.
    const log = sim.server.log;
    const add = log.add.bind(log);
    let armed = true;
    log.add = (entry) => {
      add(entry);
      if (armed && entry.method === "GET" && entry.path === "/api/dashboards/uid/nas") {
        armed = false;
        sim.state.bumpDashboardVersion("nas");
      }
    };
    const before = log.all().length;
    const apply = await cli("apply", "--yes");
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const saves = log
      .all()
      .slice(before)
      .filter((entry) => entry.path === "/api/dashboards/db");
    expect(saves.map((entry) => entry.status)).toEqual([412, 200]);
    expect(dashboard("nas")).toMatchObject({ title: "NAS (main)", version: 3 });
    expect([...org().dashboards.keys()].filter((uid) => uid === "nas")).toHaveLength(1);
    expect((await cli("plan", "--detailed-exitcode")).code).toBe(0);
  });

  it("rewrites a datasource secret only when the secret changed, and masks it in every output", async () => {
    await cli("apply", "--yes");
    const before = writes().length;
    expect((await cli("apply", "--yes")).code).toBe(0);
    expect(writes().length - before).toBe(0);

    await setSecret("loki_pw", "loki-password-second");
    const plan = JSON.parse((await cli("plan", "-o", "json")).stdout);
    expect(plan.summary).toMatchObject({ update: 1, create: 0, delete: 0 });
    expect(plan.actions.find((a: { action: string }) => a.action === "update")).toMatchObject({
      id: "grafana/datasource/loki",
      changes: [{ path: "secureJsonData.basicAuthPassword", before: "(sensitive)", after: "(sensitive)" }],
    });
    const applied = await cli("apply", "--yes", "-o", "json");
    expect(applied.code).toBe(0);
    // The result shows the change as the plan does: masked, never the engine's raw values.
    expect(JSON.parse(applied.stdout).results).toContainEqual(
      expect.objectContaining({
        id: "grafana/datasource/loki",
        status: "succeeded",
        changes: [{ path: "secureJsonData.basicAuthPassword", before: "(sensitive)", after: "(sensitive)" }],
      }),
    );
    expect(org().datasources.get("loki")?.secureJsonData.basicAuthPassword).toBe("loki-password-second");
    const puts = writes().slice(before);
    expect(puts.map((entry) => `${entry.method} ${entry.path}`)).toEqual(["PUT /api/datasources/uid/loki"]);
    for (const output of outputs) {
      expect(output).not.toContain("loki-password-second");
      expect(output).not.toContain(LOKI_PASSWORD);
    }
  });

  it.each([
    ["5xx", { errorRate: 0.3, errorStatus: 502 }],
    ["429 with Retry-After", { throttleRate: 0.3, retryAfterSeconds: 0 }],
    ["connection reset", { resetRate: 0.2 }],
    ["committed but response lost", { lostResponseRate: 0.3 }],
    ["latency", { latencyMs: 30 }],
  ])(
    "converges under %s with no duplicate object",
    async (_name, faults) => {
      sim.server.faults.set(faults);
      let code = -1;
      for (let attempt = 0; attempt < 8 && code !== 0; attempt++) code = (await cli("apply", "--yes")).code;
      sim.server.faults.set({});
      expect(code).toBe(0);
      expect((await cli("plan", "--detailed-exitcode")).code).toBe(0);
      expect([...org().datasources.keys()].sort()).toEqual(["autopilot-prometheus", "loki"]);
      expect([...org().folders.keys()].sort()).toEqual(["autopilot", "storage"]);
      expect([...org().dashboards.keys()].sort()).toEqual([
        "autopilot-overview",
        "autopilot-services",
        "nas",
      ]);
      expect(org().contactPoints.filter((p) => p.name === "ops-hook")).toHaveLength(1);
      expect(org().alertRules.size).toBe(2);
      expect([...org().teams.values()].filter((t) => t.name === "Ops")).toHaveLength(1);
      expect([...org().serviceAccounts.values()].filter((a) => a.name === "autopilot-homepage")).toHaveLength(
        1,
      );
      const tokens = [...org().tokens.values()].filter((t) => t.name === "autopilot-homepage-widget");
      expect(tokens).toHaveLength(1);
      expect(tokens[0]?.key).toBe(await storedKey());
      expect(dashboard("nas").version).toBe(1);
      expect((await cli("audit", "verify")).code).toBe(0);
    },
    180_000,
  );
});

describe("Grafana single sign-on through Authentik, end to end", () => {
  let grafana: GrafanaSimulator;
  let authentik: AuthentikSimulator;
  let lab: ReturnType<typeof labDir>;
  let env: NodeJS.ProcessEnv;
  let outputs: string[];

  const cli = async (...args: string[]) => {
    const run = await runCli(args, { cwd: lab.dir, env });
    outputs.push(run.stdout, run.stderr);
    return run;
  };
  const writeConfig = (grafanaTarget: Record<string, unknown>) =>
    lab.write({
      targets: {
        authentik: { url: authentik.url, token: "${env:AK_TOKEN}" },
        grafana: { url: grafana.url, token: "${env:GF_TOKEN}", ...grafanaTarget },
      },
      identity: { groups: [{ name: "admins", superuser: true }], users: [] },
    });
  const providerForGrafana = () =>
    authentik.state.providers.find((p: ProviderRecord) => p.name === "autopilot-grafana-oidc") as unknown as
      | Record<string, unknown>
      | undefined;

  const start = async (options: { ssoSettingsApi?: boolean } = {}) => {
    grafana = await startGrafanaSimulator(options);
    authentik = await startAuthentikSimulator();
    lab = labDir({});
    env = { ...lab.env, GF_TOKEN: grafana.token, GF_ADMIN: grafana.adminPassword, AK_TOKEN: authentik.token };
    outputs = [];
  };
  afterEach(async () => {
    await grafana.close();
    await authentik.close();
    redactor.clear();
  });

  it("gives Grafana's SSO settings the client id and secret of the Authentik provider made for it, printing neither secret", async () => {
    await start();
    writeConfig({ basicAuth: { username: grafana.adminUser, password: "${env:GF_ADMIN}" } });
    expect((await cli("secrets", "init")).code).toBe(0);
    const apply = await cli("apply", "--yes");
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);

    const provider = providerForGrafana() as Record<string, unknown>;
    const settings = grafana.state.sso.get("generic_oauth")?.settings as Record<string, unknown>;
    expect(settings).toMatchObject({
      enabled: true,
      clientId: provider.client_id,
      clientSecret: provider.client_secret,
      authUrl: `${authentik.url}/application/o/authorize/`,
      tokenUrl: `${authentik.url}/application/o/token/`,
      apiUrl: `${authentik.url}/application/o/userinfo/`,
    });
    expect(provider.redirect_uris).toEqual([
      expect.objectContaining({
        matching_mode: "strict",
        url: `${new URL(grafana.url).origin}/login/generic_oauth`,
      }),
    ]);
    expect(authentik.state.applications.find((a) => a.slug === "grafana")?.provider).toBe(provider.pk);

    const before = grafana.server.log.writes().length + authentik.server.log.writes().length;
    expect((await cli("plan", "--detailed-exitcode")).code).toBe(0);
    expect((await cli("apply", "--yes")).code).toBe(0);
    expect((await cli("plan", "-o", "json")).code).toBe(0);
    expect(grafana.server.log.writes().length + authentik.server.log.writes().length).toBe(before);
    for (const output of outputs) expect(output).not.toContain(String(provider.client_secret));
  });

  it.each([
    ["refuses it (403: no server-admin login, the token is used)", {}, { basicAuth: false }],
    ["lacks it (404: Grafana without the SSO settings API)", { ssoSettingsApi: false }, { basicAuth: true }],
  ])(
    "writes the settings to a 0600 env file beside the state when Grafana %s, and says so",
    async (_name, simOptions, target) => {
      await start(simOptions);
      writeConfig(
        target.basicAuth ? { basicAuth: { username: grafana.adminUser, password: "${env:GF_ADMIN}" } } : {},
      );
      expect((await cli("secrets", "init")).code).toBe(0);
      const plan = await cli("plan");
      expect(plan.stdout).toContain("~ grafana/sso-settings/generic_oauth");
      expect(plan.stdout).toContain("GF_AUTH_GENERIC_OAUTH_CLIENT_ID: (none) → (known after apply)");
      expect(plan.stdout).toContain("GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: (none) → (known after apply)");
      const apply = await cli("--log-level", "warn", "apply", "--yes");
      expect(apply.code, apply.stdout + apply.stderr).toBe(0);
      expect(apply.stderr).toContain("SSO settings API");
      expect(apply.stderr).toContain("grafana-generic-oauth.env");

      const file = join(lab.dir, ".autopilot", "grafana-generic-oauth.env");
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const provider = providerForGrafana() as Record<string, unknown>;
      expect(parseEnvFile(readFileSync(file, "utf8"))).toMatchObject({
        GF_AUTH_GENERIC_OAUTH_ENABLED: "true",
        GF_AUTH_GENERIC_OAUTH_CLIENT_ID: provider.client_id,
        GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: provider.client_secret,
        GF_AUTH_GENERIC_OAUTH_AUTH_URL: `${authentik.url}/application/o/authorize/`,
        GF_AUTH_GENERIC_OAUTH_TOKEN_URL: `${authentik.url}/application/o/token/`,
        GF_AUTH_GENERIC_OAUTH_API_URL: `${authentik.url}/application/o/userinfo/`,
      });
      expect(grafana.state.sso.size).toBe(0);
      expect((await cli("plan", "--detailed-exitcode")).code).toBe(0);
      for (const output of outputs) expect(output).not.toContain(String(provider.client_secret));
    },
  );
});
