import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ProviderRecord } from "../../src/sandbox/authentik/records.ts";
import { type AuthentikSimulator, startAuthentikSimulator } from "../../src/sandbox/authentik/server.ts";
import { redactor } from "../../src/secrets/redactor.ts";
import { runCli } from "../helpers/cli.ts";
import { labDir } from "../helpers/lab-dir.ts";

/**
 * Autopilot against the Authentik simulator, end to end through the command line: the
 * simulator validates every request and response against Authentik's OpenAPI document, so a
 * wrong field name or a missing trailing slash fails here as it would against the real server.
 */
const services = [
  {
    name: "Grafana",
    group: "Monitoring",
    href: "https://grafana.lab.example.com",
    description: "Dashboards",
    sso: "oidc",
    redirectUris: ["https://grafana.lab.example.com/login/generic_oauth"],
  },
  { name: "Wiki", group: "Docs", href: "https://wiki.lab.example.com:8443/home", sso: "oidc" },
  { name: "Sonarr", group: "Media", href: "https://sonarr.lab.example.com", sso: "proxy" },
];
const identity = {
  groups: [{ name: "admins", superuser: true }, { name: "family" }, { name: "kids", parents: ["family"] }],
  users: [
    { username: "alice", name: "Alice", email: "alice@lab.example.com", groups: ["admins"] },
    { username: "bob", name: "Bob", groups: ["kids", "authentik Admins"] },
  ],
};

describe("Authentik end to end", () => {
  let sim: AuthentikSimulator;
  let lab: ReturnType<typeof labDir>;
  let env: NodeJS.ProcessEnv;

  const writeConfig = (overrides: Record<string, unknown> = {}) =>
    lab.write({
      targets: { authentik: { url: sim.url, token: "${env:AK_TOKEN}", http: { maxAttempts: 6 } } },
      services,
      identity,
      ...overrides,
    });
  const cli = (...args: string[]) => runCli(args, { cwd: lab.dir, env });
  const writes = () => sim.server.log.writes();
  const providerNamed = (name: string) =>
    sim.state.providers.find((p: ProviderRecord) => p.name === name) as unknown as
      | Record<string, unknown>
      | undefined;

  beforeEach(async () => {
    sim = await startAuthentikSimulator();
    lab = labDir({});
    env = { ...lab.env, AK_TOKEN: sim.token };
    writeConfig();
    expect((await cli("secrets", "init")).code).toBe(0);
  });
  afterEach(async () => {
    await sim.close();
    redactor.clear();
  });

  it("converges from empty with every field right, then a second apply makes zero writes", async () => {
    const flowPk = (slug: string) => sim.state.flows.find((f) => f.slug === slug)?.pk as string;
    const foreign = sim.state.addProxyProvider({
      name: "hand-made-proxy",
      external_host: "https://x.lab",
      mode: "forward_single",
      authorization_flow: flowPk("default-provider-authorization-implicit-consent"),
      invalidation_flow: flowPk("default-provider-invalidation-flow"),
    });
    const outpost = sim.state.outposts.find((o) => o.managed === "goauthentik.io/outposts/embedded");
    if (!outpost) throw new Error("no embedded outpost");
    outpost.providers = [foreign.pk];

    const apply = await cli("apply", "--yes");
    expect(apply.stderr).not.toContain("✗");
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);

    const grafana = providerNamed("autopilot-grafana-oidc") as Record<string, unknown>;
    const secret = (
      await cli("secrets", "get", "authentik_oidc_grafana_client_secret", "--reveal")
    ).stdout.trim();
    const selfSigned = sim.state.keypairs.find((k) => k.name === "authentik Self-signed Certificate");
    const managed = (id: string) => sim.state.scopeMappings.find((m) => m.managed === id)?.pk;
    expect(grafana).toMatchObject({
      client_type: "confidential",
      client_id: "grafana",
      client_secret: secret,
      grant_types: ["authorization_code", "refresh_token"],
      redirect_uris: [
        {
          matching_mode: "strict",
          url: "https://grafana.lab.example.com/login/generic_oauth",
          redirect_uri_type: "authorization",
        },
      ],
      signing_key: selfSigned?.pk,
      include_claims_in_id_token: true,
      authorization_flow: sim.state.flows.find(
        (f) => f.slug === "default-provider-authorization-implicit-consent",
      )?.pk,
      invalidation_flow: sim.state.flows.find((f) => f.slug === "default-provider-invalidation-flow")?.pk,
    });
    expect(secret).toMatch(/^[A-Za-z0-9]{64}$/);
    expect([...(grafana.property_mappings as string[])].sort()).toEqual(
      ["openid", "email", "profile", "offline_access"]
        .map((s) => managed(`goauthentik.io/providers/oauth2/scope-${s}`))
        .sort(),
    );
    expect(providerNamed("autopilot-wiki-oidc")).toMatchObject({
      redirect_uris: [
        {
          matching_mode: "regex",
          url: "^https://wiki\\.lab\\.example\\.com:8443/.*$",
          redirect_uri_type: "authorization",
        },
      ],
    });
    const sonarr = providerNamed("autopilot-sonarr-proxy") as Record<string, unknown>;
    expect(sonarr).toMatchObject({ mode: "forward_single", external_host: "https://sonarr.lab.example.com" });
    expect(outpost.providers).toEqual(expect.arrayContaining([foreign.pk, sonarr.pk]));
    expect(outpost.providers).toHaveLength(2);

    const app = sim.state.applications.find((a) => a.slug === "grafana");
    expect(app).toMatchObject({
      name: "Grafana",
      provider: grafana.pk,
      meta_launch_url: "https://grafana.lab.example.com",
      meta_description: "Dashboards",
      group: "Monitoring",
    });
    const admins = sim.state.groups.find((g) => g.name === "admins");
    const kids = sim.state.groups.find((g) => g.name === "kids");
    expect(admins?.is_superuser).toBe(true);
    expect(kids?.parents).toEqual([sim.state.groups.find((g) => g.name === "family")?.pk]);
    const bob = sim.state.users.find((u) => u.username === "bob");
    expect(bob?.groups.sort()).toEqual(
      [kids?.pk, sim.state.groups.find((g) => g.name === "authentik Admins")?.pk].sort(),
    );

    const before = writes().length;
    const again = await cli("apply", "--yes");
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("No changes");
    expect(writes().length - before).toBe(0);
    const plan = await cli("plan", "--detailed-exitcode");
    expect(plan.code).toBe(0);
    expect(writes().length - before).toBe(0);
  });

  it("binds many forward-auth services at once without one write dropping another's provider", async () => {
    const proxies = Array.from({ length: 25 }, (_, i) => ({
      name: `Proxy ${i}`,
      group: "Media",
      href: `https://proxy-${i}.lab.example.com`,
      sso: "proxy",
    }));
    writeConfig({ services: proxies, identity: { groups: [], users: [] } });
    expect((await cli("apply", "--yes")).code).toBe(0);
    const outpost = sim.state.outposts.find((o) => o.managed === "goauthentik.io/outposts/embedded");
    expect(outpost?.providers).toHaveLength(25);
    expect((await cli("plan", "--detailed-exitcode")).code).toBe(0);
  });

  it("plans with --detailed-exitcode, masks the client secret and prints JSON for machines", async () => {
    const text = await cli("plan", "--detailed-exitcode");
    expect(text.code).toBe(2);
    expect(text.stdout).toContain("+ authentik/oauth2-provider/autopilot-grafana-oidc");
    expect(text.stdout).toContain("clientSecret: (known after apply)");
    await cli("apply", "--yes");
    writeConfig({ services: [{ ...services[0], description: "Graphs" }, services[1], services[2]] });
    const json = JSON.parse((await cli("plan", "-o", "json")).stdout);
    expect(json.summary).toMatchObject({ update: 1, create: 0, delete: 0 });
    expect(json.actions.find((a: { action: string }) => a.action === "update")).toMatchObject({
      id: "authentik/application/grafana",
      drift: false,
      changes: [{ path: "metaDescription", before: "Dashboards", after: "Graphs" }],
    });
    const secret = (
      await cli("secrets", "get", "authentik_oidc_grafana_client_secret", "--reveal")
    ).stdout.trim();
    const grafana = providerNamed("autopilot-grafana-oidc") as Record<string, unknown>;
    grafana.client_secret = "changed-behind-our-back-value";
    const masked = await cli("plan");
    expect(masked.stdout).toContain("clientSecret: (sensitive) → (sensitive)");
    expect(masked.stdout).not.toContain(secret);
    expect(masked.stdout).not.toContain("changed-behind-our-back-value");
  });

  it("finds an application edited behind its back (drift exits 2 naming the field) and apply repairs it", async () => {
    await cli("apply", "--yes");
    const app = sim.state.applications.find((a) => a.slug === "grafana");
    if (!app) throw new Error("missing app");
    app.meta_launch_url = "https://evil.example.com";
    const drift = await cli("drift");
    expect(drift.code).toBe(2);
    expect(drift.stdout).toContain("~ authentik/application/grafana  drift");
    expect(drift.stdout).toContain(
      'metaLaunchUrl: "https://evil.example.com" → "https://grafana.lab.example.com"',
    );
    const json = JSON.parse((await cli("drift", "-o", "json")).stdout);
    expect(json).toMatchObject({
      drift: true,
      items: [{ id: "authentik/application/grafana", fields: [{ path: "metaLaunchUrl" }] }],
    });
    expect((await cli("apply", "--yes")).code).toBe(0);
    expect(app.meta_launch_url).toBe("https://grafana.lab.example.com");
    expect((await cli("drift")).code).toBe(0);
  });

  it("deletes only its own objects when a service leaves the config; hand-made objects survive", async () => {
    await cli("apply", "--yes");
    sim.state.addApplication({ name: "Hand made", slug: "hand-made" });
    writeConfig({ services: [services[0]] });
    const apply = await cli("apply", "--yes");
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(
      sim.state.applications
        .all()
        .map((a) => a.slug)
        .sort(),
    ).toEqual(["grafana", "hand-made"]);
    expect(providerNamed("autopilot-sonarr-proxy")).toBeUndefined();
    expect(providerNamed("autopilot-wiki-oidc")).toBeUndefined();
    const outpost = sim.state.outposts.find((o) => o.managed === "goauthentik.io/outposts/embedded");
    expect(outpost?.providers).toEqual([]);
  });

  it("refuses to touch an application it did not create until adopted", async () => {
    sim.state.addApplication({ name: "Grafana by hand", slug: "grafana", meta_launch_url: "https://old" });
    const apply = await cli("apply", "--yes");
    expect(apply.code).toBe(3);
    expect(apply.stdout + apply.stderr).toContain("autopilot adopt authentik/application/grafana");
    expect(sim.state.applications.find((a) => a.slug === "grafana")?.name).toBe("Grafana by hand");
    expect((await cli("adopt", "application/grafana")).code).toBe(0);
    expect((await cli("apply", "--yes")).code).toBe(0);
    expect(sim.state.applications.find((a) => a.slug === "grafana")).toMatchObject({
      name: "Grafana",
      meta_launch_url: "https://grafana.lab.example.com",
    });
    expect((await cli("adopt", "application/nope")).code).toBe(1);
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
      const names = sim.state.providers.all().map((p: ProviderRecord) => p.name);
      expect(names.filter((n) => n.startsWith("autopilot-")).sort()).toEqual([
        "autopilot-grafana-oidc",
        "autopilot-sonarr-proxy",
        "autopilot-wiki-oidc",
      ]);
      expect(sim.state.applications.count()).toBe(3);
      expect(
        sim.state.groups.all().filter((g) => ["admins", "family", "kids"].includes(g.name)),
      ).toHaveLength(3);
      expect((await cli("audit", "verify")).code).toBe(0);
    },
    120_000,
  );

  it("converges after requests time out for a while (and after the target is down for a while)", async () => {
    lab.write({
      targets: {
        authentik: { url: sim.url, token: "${env:AK_TOKEN}", http: { timeout: "200ms", maxAttempts: 2 } },
      },
      services,
      identity,
    });
    sim.server.faults.set({ latencyMs: 400 });
    const timedOut = await cli("apply", "--yes");
    expect(timedOut.code).not.toBe(0);
    expect(timedOut.stdout + timedOut.stderr).toContain("timeout");
    sim.server.faults.set({ down: 800 });
    let code = -1;
    for (let attempt = 0; attempt < 10 && code !== 0; attempt++) {
      code = (await cli("apply", "--yes")).code;
      if (code !== 0) await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(code).toBe(0);
    expect(sim.state.applications.count()).toBe(3);
    expect(new Set(sim.state.providers.all().map((p: ProviderRecord) => p.name)).size).toBe(
      sim.state.providers.count(),
    );
  }, 60_000);

  it("stops at a bad token with one clear message and no retry storm", async () => {
    env = { ...env, AK_TOKEN: "wrong-token-value-123" };
    const before = sim.server.log.all().length;
    const plan = await cli("plan");
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain("authentik is unavailable");
    expect(plan.stdout).toContain("Token invalid/expired");
    expect(plan.stdout + plan.stderr).not.toContain("wrong-token-value-123");
    // The version check and the three lookup lists go out together, each once: none is retried.
    const sent = sim.server.log.all().slice(before);
    expect(sent.map((entry) => `${entry.status} ${entry.path}`).sort()).toEqual([
      "403 /api/v3/admin/version/",
      "403 /api/v3/crypto/certificatekeypairs/",
      "403 /api/v3/flows/instances/",
      "403 /api/v3/propertymappings/provider/scope/",
    ]);
  });

  it("refuses an Authentik outside the supported releases before writing anything", async () => {
    await sim.close();
    sim = await startAuthentikSimulator({ version: "2025.12.1" });
    env = { ...env, AK_TOKEN: sim.token };
    writeConfig();
    const apply = await cli("apply", "--yes");
    expect(apply.code).toBe(3);
    expect(apply.stdout).toContain("Authentik 2025.12.1 is outside the supported range");
    expect(writes()).toEqual([]);
  });

  it("refuses invalid config values before any request", async () => {
    writeConfig({ services: [{ ...services[0], href: "javascript:alert(1)" }] });
    const before = sim.server.log.all().length;
    const plan = await cli("plan");
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(/homelab\.yaml:\d+:\d+: services\[0\]\.href/);
    expect(sim.server.log.all().length).toBe(before);
  });
});
