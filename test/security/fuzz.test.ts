import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { Document, parse, stringify } from "yaml";
import { servicesFromConfig } from "../../src/catalog/service.ts";
import { ConfigError } from "../../src/config/config-error.ts";
import { parseConfig } from "../../src/config/load.ts";
import type { DiscoveredContainer } from "../../src/discovery/container.ts";
import { servicesFromContainer } from "../../src/discovery/container-service.ts";
import { upsertServiceEntry } from "../../src/providers/homepage/services-document.ts";
import { TO_STRING } from "../../src/providers/homepage/yaml-file.ts";
import { redactor } from "../../src/secrets/redactor.ts";
import { desiredState } from "../../src/wiring/desired-state.ts";
import { homepageResources } from "../../src/wiring/homepage.ts";

/**
 * 10,000 hostile values through the whole path a value travels: as a config field (6,000 runs)
 * and as a container label (4,000 runs) — parsed, validated, turned into the desired state of
 * Authentik, Grafana and Homepage, and rendered to services.yaml. No crash, no error that is not
 * a located ConfigError, and no value can change the structure of what is written.
 */
const hostile = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: "grapheme", maxLength: 60 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.constantFrom(
    "javascript:alert(1)",
    "data:text/html,<script>",
    "https://user:pass@evil.example",
    "https://ok.lab.example.com/\n- injected: true",
    "a: b",
    "- x",
    "{{HOMEPAGE_VAR_X}}",
    "${secret:x}",
    "${file:/etc/shadow}",
    "*alias",
    "&anchor x",
    "!!js/function f()",
    "\u202egnp.exe",
    "x".repeat(100_000),
    "__proto__",
    "constructor",
  ),
);

const FIELDS = [
  "name",
  "group",
  "href",
  "description",
  "icon",
  "health",
  "widget.url",
  "widget.key",
  "widget.fields",
  "redirectUris",
] as const;

function configWith(field: (typeof FIELDS)[number], value: string): string {
  const service: Record<string, unknown> = {
    name: "Sonarr",
    group: "Media",
    href: "https://sonarr.lab.example.com",
    sso: "oidc",
    widget: { type: "sonarr", url: "http://sonarr:8989", key: "${secret:sonarr_key}" },
  };
  if (field.startsWith("widget.")) (service.widget as Record<string, unknown>)[field.slice(7)] = value;
  else if (field === "redirectUris") service.redirectUris = [value];
  else service[field] = value;
  return stringify({
    apiVersion: "autopilot/v1",
    domain: "lab.example.com",
    targets: {
      authentik: { url: "https://auth.lab.example.com", token: "${secret:t}" },
      grafana: { url: "https://grafana.lab.example.com", token: "${secret:g}" },
      homepage: { configDir: "./homepage" },
    },
    services: [service],
  });
}

function rendersFaithfully(services: ReturnType<typeof servicesFromConfig>): void {
  for (const resource of homepageResources(services).resources) {
    if (resource.ref.kind !== "service") continue;
    const spec = resource.spec as { group: string; name: string; entry: Record<string, unknown> };
    const document = new Document([]);
    upsertServiceEntry(document, spec);
    const model = [{ [spec.group]: [{ [spec.name]: spec.entry }] }];
    expect(parse(document.toString(TO_STRING))).toEqual(JSON.parse(JSON.stringify(model)));
  }
}

describe("10,000 fuzzed values", () => {
  afterAll(() => redactor.clear());

  it("as config fields: validated with a located error, or wired and rendered without changing structure", () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIELDS), hostile, (field, value) => {
        let loaded: ReturnType<typeof parseConfig> | undefined;
        try {
          loaded = parseConfig(configWith(field, value), "lab.yaml", { checkFiles: false });
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          for (const issue of (error as ConfigError).issues) expect(issue.line).toBeGreaterThanOrEqual(1);
          return;
        }
        const services = servicesFromConfig(loaded.config);
        expect(() => desiredState(loaded.config, services)).not.toThrow();
        rendersFaithfully(services);
      }),
      { numRuns: 6000 },
    );
  }, 120_000);

  it("as container labels: the container is refused or rendered, never a crash or an extra entry", () => {
    const container = (labels: Record<string, string>): DiscoveredContainer => ({
      id: "id",
      name: "sonarr",
      endpoint: "unix:///d.sock",
      image: "lscr.io/linuxserver/sonarr",
      state: "running",
      labels: { "homepage.group": "Media", "homepage.name": "Sonarr", ...labels },
    });
    const label = fc.constantFrom(
      "homepage.name",
      "homepage.group",
      "homepage.href",
      "homepage.description",
      "homepage.widget.url",
      "homepage.widget.key",
      "autopilot.sso",
      "autopilot.health",
      "autopilot.depends_on",
      "autopilot.widget.key",
      "traefik.http.routers.r.rule",
    );
    fc.assert(
      fc.property(fc.dictionary(label, hostile, { maxKeys: 4 }), (labels) => {
        const result = servicesFromContainer(container(labels), { autoCredentials: new Set() });
        expect(result.services.length + result.refusals.length).toBe(1);
        for (const refusal of result.refusals) expect(JSON.stringify(refusal)).toContain("sonarr");
        rendersFaithfully(result.services);
      }),
      { numRuns: 4000 },
    );
  }, 120_000);
});
