import { describe, expect, it } from "vitest";
import type { DiscoveredContainer } from "../discovery/container.ts";
import { servicesFromContainers } from "../discovery/discover.ts";
import { buildCatalogue } from "./catalogue.ts";
import type { Service } from "./service.ts";

const options = { autoCredentials: new Set<string>() };

function container(name: string, labels: Record<string, string>, image = "busybox"): DiscoveredContainer {
  return { id: `id-${name}`, name, endpoint: "unix:///d.sock", image, state: "running", labels };
}

function configService(overrides: Partial<Service> & Pick<Service, "name" | "group">, index = 0): Service {
  const slug = overrides.name.toLowerCase();
  return {
    slug,
    sso: "none",
    redirectUris: [],
    dependsOn: [],
    monitor: false,
    alert: false,
    origin: `config services[${index}]`,
    ...overrides,
    sources: {
      name: { kind: "config", detail: `services[${index}].name` },
      group: { kind: "config", detail: `services[${index}].group` },
      slug: { kind: "inferred", detail: "derived from the name" },
      sso: { kind: "inferred", detail: "default" },
      ...Object.fromEntries(
        Object.keys(overrides)
          .filter((key) => !["name", "group", "sources", "origin"].includes(key))
          .map((key) => [key, { kind: "config" as const, detail: `services[${index}].${key}` }]),
      ),
      ...overrides.sources,
    },
  };
}

const discovered = (...containers: DiscoveredContainer[]) => ({
  ...servicesFromContainers(containers, options),
  failures: [],
});

describe("the service catalogue", () => {
  it("merges a container into the config service of the same name: config > label > inferred, field by field", () => {
    const config = configService({
      name: "Grafana",
      group: "Monitoring",
      href: "https://grafana.lab.example.com",
    });
    const catalogue = buildCatalogue(
      [config],
      discovered(
        container(
          "grafana",
          {
            "homepage.group": "Monitoring",
            "homepage.name": "Grafana",
            "homepage.href": "https://other.lab.example.com",
            "homepage.description": "Dashboards",
            "autopilot.sso": "oidc",
            "traefik.http.routers.g.rule": "Host(`g.lab.example.com`)",
          },
          "grafana/grafana:11",
        ),
      ),
    );
    expect(catalogue.errors).toEqual([]);
    expect(catalogue.services).toHaveLength(1);
    const service = catalogue.services[0];
    expect(service).toMatchObject({
      href: "https://grafana.lab.example.com",
      description: "Dashboards",
      sso: "oidc",
      widget: { type: "grafana" },
      container: { name: "grafana" },
      origin: "config services[0] + container grafana",
    });
    expect(service?.sources).toMatchObject({
      href: { kind: "config" },
      description: { kind: "label", detail: "homepage.description" },
      sso: { kind: "label", detail: "autopilot.sso" },
      widget: { kind: "inferred", detail: "image grafana/grafana:11" },
    });
    expect(catalogue.warnings).toEqual([
      expect.stringMatching(
        /^service Grafana: href from config services\[0\]\.href wins over label homepage\.href/,
      ),
    ]);
  });

  it("matches a container to a config service by slug as well as by group and name", () => {
    const catalogue = buildCatalogue(
      [configService({ name: "Wiki", group: "Docs" })],
      discovered(
        container("wiki", {
          "homepage.group": "Other",
          "homepage.name": "Wiki",
          "homepage.icon": "wiki.png",
        }),
      ),
    );
    expect(catalogue.services).toMatchObject([{ name: "Wiki", group: "Docs", icon: "wiki.png" }]);
  });

  it("leaves out two containers that describe the same group and name, with an error naming both", () => {
    const labels = { "homepage.group": "Media", "homepage.name": "Sonarr" };
    const catalogue = buildCatalogue(
      [configService({ name: "Other", group: "Media" })],
      discovered(container("sonarr-a", labels), container("sonarr-b", labels)),
    );
    expect(catalogue.services.map((s) => s.name)).toEqual(["Other"]);
    expect(catalogue.errors).toEqual([
      expect.stringContaining(
        "container sonarr-a and container sonarr-b describe the same service Media/Sonarr",
      ),
    ]);
  });

  it("counts the replicas of a scaled Compose service once", () => {
    const labels = {
      "homepage.group": "Web",
      "homepage.name": "Site",
      "com.docker.compose.project": "web",
      "com.docker.compose.service": "site",
    };
    const catalogue = buildCatalogue(
      [],
      discovered(container("web-site-2", labels), container("web-site-1", labels)),
    );
    expect(catalogue.errors).toEqual([]);
    expect(catalogue.services.map((s) => s.container?.name)).toEqual(["web-site-1"]);
  });

  it("keeps refused services and warnings from discovery", () => {
    const catalogue = buildCatalogue(
      [],
      discovered(
        container("bad", {
          "homepage.group": "G",
          "homepage.name": "Bad",
          "homepage.href": "javascript:alert(1)",
        }),
        container("good", { "homepage.group": "G", "homepage.name": "Good", "homepage.server": "local" }),
      ),
    );
    expect(catalogue.services.map((s) => s.name)).toEqual(["Good"]);
    expect(catalogue.refused).toMatchObject([{ container: "bad", problems: [{ label: "homepage.href" }] }]);
    expect(catalogue.warnings).toEqual([
      expect.stringContaining("container good: label homepage.server is ignored"),
    ]);
  });

  it("leaves out a container matching one config service by slug and another by group and name", () => {
    const catalogue = buildCatalogue(
      [
        configService({ name: "Alpha", group: "G" }, 0),
        configService({ name: "Beta", group: "G", slug: "beta" }, 1),
      ],
      discovered(
        container("x", { "homepage.group": "G", "homepage.name": "Beta", "autopilot.slug": "alpha" }),
      ),
    );
    expect(catalogue.errors).toEqual([
      expect.stringContaining("container x matches config services[0] and config services[1]"),
    ]);
    expect(catalogue.services).toHaveLength(2);
  });

  it("keeps the config's widget over a container's widget list, and says nothing when label and config agree", () => {
    const config = configService({
      name: "Tv",
      group: "Media",
      href: "https://tv.lab.example.com",
      widget: { type: "sonarr", url: "http://tv", key: "${secret:tv_key}" },
    });
    const catalogue = buildCatalogue(
      [config],
      discovered(
        container("tv", {
          "homepage.group": "Media",
          "homepage.name": "Tv",
          "homepage.href": "https://tv.lab.example.com",
          "homepage.widgets[0].type": "gatus",
          "homepage.widgets[0].url": "http://gatus",
          "homepage.weight": "3",
        }),
      ),
    );
    expect(catalogue.services[0]?.widget).toEqual({
      type: "sonarr",
      url: "http://tv",
      key: "${secret:tv_key}",
    });
    expect(catalogue.services[0]?.widgets).toBeUndefined();
    expect(catalogue.services[0]?.homepage).toEqual({ weight: 3 });
    expect(catalogue.services[0]?.sources?.["homepage.weight"]).toEqual({
      kind: "label",
      detail: "homepage.weight",
    });
    expect(catalogue.warnings).toEqual([
      expect.stringContaining(
        "widgets from config services[0].widget wins over label homepage.widgets[0].type",
      ),
    ]);
  });

  it("refuses a config service whose widget Homepage could not show, naming the config path", () => {
    const catalogue = buildCatalogue([configService({ name: "Odd", group: "G", widget: { type: "sonar" } })]);
    expect(catalogue.services).toEqual([]);
    expect(catalogue.refused).toEqual([
      {
        origin: "config services[0]",
        service: "Odd",
        problems: [
          { label: "services[0].widget.type", reason: expect.stringContaining("did you mean sonarr") },
        ],
      },
    ]);
  });
});
