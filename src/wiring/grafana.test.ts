import { describe, expect, it } from "vitest";
import { servicesFromConfig } from "../catalog/service.ts";
import { type HomelabConfigInput, homelabSchema } from "../config/schema.ts";
import { generatedSecret, outputOf, refId } from "../engine/resource.ts";
import { desiredState } from "./desired-state.ts";
import { HOMEPAGE_TOKEN_SECRET } from "./grafana/access.ts";
import { PROMETHEUS_DATASOURCE_UID } from "./grafana/datasources.ts";
import { grafanaResources } from "./grafana.ts";
import { clientSecretName, oidcProviderRef } from "./sso.ts";

const GRAFANA = { url: "https://grafana.lab.example.com", token: "${secret:grafana_token}" };
const AUTHENTIK = { url: "https://auth.lab.example.com", token: "${secret:authentik_token}" };

function lab(input: Partial<HomelabConfigInput>) {
  const config = homelabSchema.parse({ apiVersion: "autopilot/v1", domain: "lab.example.com", ...input });
  return { config, services: servicesFromConfig(config) };
}

const keys = (resources: { ref: { kind: string; key: string } }[]) =>
  resources.map((r) => `${r.ref.kind}/${r.ref.key}`);

describe("Grafana wiring", () => {
  it("adds nothing without targets.grafana, and only Autopilot's folder and dashboard for a bare Grafana", () => {
    const bare = lab({ targets: { authentik: AUTHENTIK } });
    expect(grafanaResources(bare.config, bare.services)).toEqual([]);
    const grafana = lab({ targets: { grafana: GRAFANA } });
    expect(keys(grafanaResources(grafana.config, grafana.services))).toEqual([
      "folder/autopilot",
      "dashboard/autopilot-overview",
    ]);
  });

  it("creates the Prometheus datasource for targets.prometheus and points the built-in dashboards at it", () => {
    const { config, services } = lab({
      targets: { grafana: GRAFANA, prometheus: { url: "http://127.0.0.1:9090" } },
      services: [{ name: "NAS", group: "Storage", href: "https://nas.lab.example.com", monitor: true }],
    });
    const resources = grafanaResources(config, services);
    const datasource = resources.find((r) => r.ref.kind === "datasource");
    expect(datasource?.spec).toMatchObject({
      uid: PROMETHEUS_DATASOURCE_UID,
      type: "prometheus",
      url: "http://127.0.0.1:9090",
    });
    const overview = resources.find((r) => r.ref.key === "autopilot-overview");
    if (!overview) throw new Error("no overview dashboard");
    expect(overview.dependsOn).toContainEqual(datasource?.ref);
    expect(overview.spec).toMatchObject({ folderUid: "autopilot" });
    const panels = (
      overview.spec.model as { panels: { datasource?: { uid: string }; targets?: { expr: string }[] }[] }
    ).panels;
    const exprs = panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr)).join("\n");
    for (const metric of [
      "autopilot_reconciles_total",
      "autopilot_engine_actions_total",
      "autopilot_drift_objects",
    ]) {
      expect(exprs).toContain(metric);
    }
    expect(
      panels.filter((p) => p.datasource).every((p) => p.datasource?.uid === PROMETHEUS_DATASOURCE_UID),
    ).toBe(true);
  });

  it("gives every monitored service a panel, and a down rule only when it asks for alerts", () => {
    const { config, services } = lab({
      targets: { grafana: GRAFANA, prometheus: { url: "http://127.0.0.1:9090" } },
      services: [
        { name: "NAS", group: "Storage", href: "https://nas.lab.example.com", monitor: true, alert: true },
        { name: "Wiki", group: "Docs", href: "https://wiki.lab.example.com", monitor: true },
        { name: "Plex", group: "Media", href: "https://plex.lab.example.com" },
      ],
    });
    const resources = grafanaResources(config, services);
    const board = resources.find((r) => r.ref.key === "autopilot-services")?.spec.model as {
      panels: { type: string; title: string; targets?: { expr: string }[] }[];
    };
    const stats = board.panels.filter((panel) => panel.type === "stat");
    expect(stats.map((panel) => [panel.title, panel.targets?.[0]?.expr])).toEqual([
      ["Wiki", 'autopilot_service_up{service="wiki"}'],
      ["NAS", 'autopilot_service_up{service="nas"}'],
    ]);
    const rules = resources.filter((r) => r.ref.kind === "alert-rule");
    expect(keys(rules)).toEqual(["alert-rule/autopilot-down-nas"]);
    expect(rules[0]?.spec).toMatchObject({
      title: "NAS is down",
      folderUID: "autopilot",
      labels: { severity: "critical", service: "nas" },
      data: [
        { datasourceUid: PROMETHEUS_DATASOURCE_UID, model: { expr: 'autopilot_service_up{service="nas"}' } },
        {},
      ],
    });
  });

  it("takes a dashboard's uid from the config, else from its file, else from the file name, in the folder named by title", () => {
    const files: Record<string, Record<string, unknown>> = {
      "./a.json": { title: "A", uid: "from-file" },
      "./b.json": { title: "B", uid: "ignored" },
      "./Disk Usage.json": { title: "C" },
    };
    const { config, services } = lab({
      targets: { grafana: GRAFANA },
      monitoring: {
        folders: [{ title: "Storage", uid: "store" }],
        dashboards: [
          { file: "./a.json", folder: "Storage" },
          { file: "./b.json", uid: "from-config" },
          { file: "./Disk Usage.json", folder: "Media" },
        ],
      },
    });
    const resources = grafanaResources(config, services, (file) => files[file] as Record<string, unknown>);
    const dashboards = resources.filter((r) => r.ref.kind === "dashboard" && r.origin?.startsWith("config"));
    expect(dashboards.map((r) => [r.ref.key, r.spec.folderUid])).toEqual([
      ["from-file", "store"],
      ["from-config", ""],
      ["disk-usage", "media"],
    ]);
    expect(keys(resources.filter((r) => r.ref.kind === "folder"))).toEqual([
      "folder/store",
      "folder/autopilot",
      "folder/media",
    ]);
    expect(dashboards[0]?.dependsOn).toEqual([{ target: "grafana", kind: "folder", key: "store" }]);
  });

  it("makes a Viewer account and token for Homepage's widget when Homepage is a target", () => {
    const without = lab({ targets: { grafana: GRAFANA } });
    expect(
      grafanaResources(without.config, without.services).some((r) => r.ref.kind === "service-account"),
    ).toBe(false);
    const { config, services } = lab({
      targets: { grafana: GRAFANA, homepage: { configDir: "./homepage" } },
    });
    const resources = grafanaResources(config, services);
    const account = resources.find((r) => r.ref.kind === "service-account");
    expect(account?.spec).toMatchObject({ role: "Viewer" });
    expect(resources.find((r) => r.ref.kind === "service-account-token")?.spec).toMatchObject({
      secretName: HOMEPAGE_TOKEN_SECRET,
      serviceAccountId: outputOf(account?.ref as never, "id"),
    });
  });

  it("points Grafana's SSO at the Authentik provider made for Grafana, adding that provider when the service has none", () => {
    const { config, services } = lab({
      targets: { grafana: GRAFANA, authentik: AUTHENTIK },
      identity: { groups: [{ name: "admins", superuser: true }], users: [] },
    });
    const desired = desiredState(config, services);
    const grafana = { slug: "grafana" };
    const provider = desired.find((r) => refId(r.ref) === refId(oidcProviderRef(grafana)));
    expect(provider?.spec).toMatchObject({
      clientId: "grafana",
      clientSecret: generatedSecret(clientSecretName(grafana), 64),
      redirectUris: [
        {
          matchingMode: "strict",
          url: "https://grafana.lab.example.com/login/generic_oauth",
          redirectUriType: "authorization",
        },
      ],
    });
    expect(desired.find((r) => refId(r.ref) === "authentik/application/grafana")).toBeDefined();
    const sso = desired.find((r) => r.ref.kind === "sso-settings");
    expect(sso?.spec).toMatchObject({
      provider: "generic_oauth",
      settings: {
        enabled: true,
        clientId: outputOf(oidcProviderRef(grafana), "clientId"),
        clientSecret: generatedSecret(clientSecretName(grafana), 64),
        authUrl: "https://auth.lab.example.com/application/o/authorize/",
        tokenUrl: "https://auth.lab.example.com/application/o/token/",
        apiUrl: "https://auth.lab.example.com/application/o/userinfo/",
        roleAttributePath: expect.stringMatching(/^contains\(groups\[\*\], 'admins'\) && 'Admin'/),
      },
    });
    expect(new Set(desired.map((r) => refId(r.ref))).size).toBe(desired.length);
  });

  it("reuses the SSO wiring's provider for a Grafana service with sso: oidc, and leaves a proxied Grafana alone", () => {
    const oidc = lab({
      targets: { grafana: GRAFANA, authentik: AUTHENTIK },
      services: [
        { name: "Grafana", group: "Monitoring", href: "https://grafana.lab.example.com", sso: "oidc" },
      ],
    });
    const desired = desiredState(oidc.config, oidc.services);
    expect(desired.filter((r) => r.ref.kind === "oauth2-provider")).toHaveLength(1);
    expect(new Set(desired.map((r) => refId(r.ref))).size).toBe(desired.length);
    expect(desired.some((r) => r.ref.kind === "sso-settings")).toBe(true);
    const proxied = lab({
      targets: { grafana: GRAFANA, authentik: AUTHENTIK },
      services: [
        { name: "Dash", group: "Monitoring", href: "https://grafana.lab.example.com/", sso: "proxy" },
      ],
    });
    expect(desiredState(proxied.config, proxied.services).some((r) => r.ref.kind === "sso-settings")).toBe(
      false,
    );
  });
});
