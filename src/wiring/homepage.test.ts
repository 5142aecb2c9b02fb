import { describe, expect, it } from "vitest";
import type { Service } from "../catalog/service.ts";
import { parseSecretReference } from "../secrets/reference.ts";
import { homepageResources, SSO_MARK } from "./homepage.ts";
import { variableFor } from "./homepage-widgets.ts";

const service = (name: string, overrides: Partial<Service> = {}): Service => ({
  name,
  slug: name.toLowerCase(),
  group: "Lab",
  href: `https://${name.toLowerCase()}.lab.example.com`,
  sso: "none",
  redirectUris: [],
  dependsOn: [],
  monitor: false,
  alert: false,
  origin: "test",
  ...overrides,
});

const grafanaToken = { target: "grafana", kind: "service-account-token", key: "autopilot-homepage-widget" };
const authentikToken = { target: "authentik", kind: "token", key: "autopilot-homepage-widget" };
const credentials = {
  grafana: { reference: "${secret:grafana_sa_homepage_token}", producer: grafanaToken },
  authentik: { reference: "${secret:authentik_token_autopilot-homepage-widget}", producer: authentikToken },
};
function entryOf(wiring: ReturnType<typeof homepageResources>, key: string): Record<string, unknown> {
  const resource = wiring.resources.find((r) => r.ref.kind === "service" && r.ref.key === key);
  return (resource?.spec as { entry: Record<string, unknown> } | undefined)?.entry ?? {};
}

describe("Homepage wiring", () => {
  it("gives grafana and authentik widgets Autopilot's tokens, a version, and the href as url", () => {
    const wiring = homepageResources(
      [
        service("Grafana", {
          widget: { type: "grafana" },
          sources: { widget: { kind: "inferred", detail: "image grafana/grafana" } },
        }),
        service("Authentik", { widget: { type: "authentik", version: 1 } }),
      ],
      credentials,
    );
    expect(wiring.warnings).toEqual([]);
    expect([...wiring.uses].sort()).toEqual(["authentik", "grafana"]);
    const grafanaVariable = "HOMEPAGE_FILE_AUTOPILOT_GRAFANA_SA_HOMEPAGE_TOKEN";
    expect(entryOf(wiring, "Lab/Grafana").widget).toEqual({
      type: "grafana",
      url: "https://grafana.lab.example.com",
      version: 2,
      username: "api_key",
      password: `{{${grafanaVariable}}}`,
    });
    expect(entryOf(wiring, "Lab/Authentik").widget).toMatchObject({
      type: "authentik",
      version: 1,
      key: expect.stringMatching(
        /^\{\{HOMEPAGE_FILE_AUTOPILOT_AUTHENTIK_TOKEN_AUTOPILOT_HOMEPAGE_WIDGET_[0-9A-F]{8}\}\}$/,
      ),
    });
    const secretFiles = wiring.resources.filter((r) => r.ref.kind === "secret-file");
    expect(secretFiles.map((r) => [r.spec.source, r.dependsOn])).toEqual([
      ["${secret:grafana_sa_homepage_token}", [grafanaToken]],
      ["${secret:authentik_token_autopilot-homepage-widget}", [authentikToken]],
    ]);
    const grafanaEntry = wiring.resources.find((r) => r.ref.key === "Lab/Grafana");
    expect(grafanaEntry?.dependsOn).toEqual([
      { target: "homepage", kind: "secret-file", key: grafanaVariable },
    ]);
    const env = wiring.resources.find((r) => r.ref.kind === "env-file");
    expect(Object.keys((env?.spec as { variables: object } | undefined)?.variables ?? {})).toHaveLength(2);
    expect(env?.dependsOn).toHaveLength(2);
  });

  it("leaves out a widget it only guessed when required options are missing, and keeps the tile", () => {
    const wiring = homepageResources([
      service("Sonarr", {
        href: undefined,
        widget: { type: "sonarr" },
        sources: { widget: { kind: "inferred", detail: "image" } },
      }),
    ]);
    expect(entryOf(wiring, "Lab/Sonarr")).toEqual({});
    expect(wiring.warnings).toEqual([
      expect.stringContaining("no sonarr widget (recognised from the image) because url is required"),
    ]);
    const explicit = homepageResources([service("Sonarr", { widget: { type: "sonarr" } })]);
    expect(explicit.warnings).toEqual([
      expect.stringContaining("service Sonarr: widget left out because key is required"),
    ]);
  });

  it("writes the tile: href, description with the SSO mark, icon, settings, siteMonitor from health, widgets list", () => {
    const wiring = homepageResources([
      service("Wiki", {
        description: "Docs",
        icon: "wiki.png",
        sso: "proxy",
        health: "https://wiki.lab.example.com/health",
        homepage: { weight: 5, showStats: true },
        widgets: [
          { type: "gatus", url: "https://wiki" },
          {
            type: "customapi",
            url: "https://wiki/api",
            mappings: [{ field: "x" }],
            password: "${env:WIKI_PASSWORD}",
          },
        ],
      }),
      service("Bare", {
        href: undefined,
        sso: "oidc",
        homepage: { siteMonitor: "https://bare/status" },
        health: "https://bare/health",
      }),
    ]);
    expect(entryOf(wiring, "Lab/Wiki")).toEqual({
      href: "https://wiki.lab.example.com",
      description: `Docs${SSO_MARK}`,
      icon: "wiki.png",
      weight: 5,
      showStats: true,
      siteMonitor: "https://wiki.lab.example.com/health",
      widgets: [
        { type: "gatus", url: "https://wiki" },
        {
          type: "customapi",
          url: "https://wiki/api",
          mappings: [{ field: "x" }],
          password: "{{HOMEPAGE_FILE_AUTOPILOT_ENV_WIKI_PASSWORD}}",
        },
      ],
    });
    expect(entryOf(wiring, "Lab/Bare")).toEqual({ description: "(SSO)", siteMonitor: "https://bare/status" });
  });

  it("names secret files readably and keeps apart references that sanitise alike", () => {
    const variable = (text: string) =>
      variableFor(parseSecretReference(text) as NonNullable<ReturnType<typeof parseSecretReference>>);
    expect(variable("${secret:homepage_key}")).toBe("HOMEPAGE_FILE_AUTOPILOT_HOMEPAGE_KEY");
    expect(variable("${secret:a.b}")).not.toBe(variable("${secret:a_b}"));
    expect(variable("${vault:apps/x#key}")).toMatch(/^HOMEPAGE_FILE_AUTOPILOT_VAULT_APPS_X_KEY_[0-9A-F]{8}$/);
    expect(variable("${file:./x}")).toMatch(/^HOMEPAGE_FILE_AUTOPILOT_FILE_[0-9A-F]{8}$/);
  });

  it("shares one secret file between widgets using the same reference", () => {
    const widget = { type: "sonarr", url: "http://s", key: "${secret:homepage_shared}" };
    const wiring = homepageResources([service("A", { widget }), service("B", { widget })]);
    expect(wiring.resources.filter((r) => r.ref.kind === "secret-file")).toHaveLength(1);
  });
});
