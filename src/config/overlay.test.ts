import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.ts";
import type { ConfigIssue } from "./config-issue.ts";
import { parseConfig, validateAllEnvironments } from "./load.ts";

const BASE = `apiVersion: autopilot/v1
domain: lab.example.com
targets:
  authentik: { url: https://auth.lab.example.com, token: "\${secret:authentik_token}" }
  grafana:
    url: https://grafana.lab.example.com
    token: "\${secret:grafana_token}"
    basicAuth: { username: admin, password: "\${secret:grafana_admin}" }
  docker:
    endpoints: [unix:///var/run/docker.sock, "tcp://127.0.0.1:2375"]
services:
  - name: Grafana
    group: Monitoring
    href: https://grafana.lab.example.com
    depends_on: [prometheus]
  - name: NAS
    group: Storage
identity:
  users:
    - { username: alice, name: Alice, groups: [admins] }
  groups:
    - { name: admins, superuser: true }
`;
// line 23 is the first line of the environments block below
const WITH_ENVIRONMENTS = `${BASE}environments:
  staging:
    domain: staging.lab.example.com
    targets:
      grafana:
        url: https://grafana.staging.lab.example.com
        basicAuth: null
      docker:
        endpoints: [unix:///run/docker.sock]
    services:
      - name: Grafana
        href: https://grafana.staging.lab.example.com
      - name: Wiki
        group: Docs
    identity:
      users:
        - { username: alice, active: false }
  empty:
`;

function issuesOf(text: string, environment?: string): ConfigIssue[] {
  try {
    parseConfig(text, "lab.yaml", environment === undefined ? {} : { environment });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error("expected the config to be rejected");
}

describe("environment overlays", () => {
  it("leaves the base untouched when no environment is selected", () => {
    const { config } = parseConfig(WITH_ENVIRONMENTS, "lab.yaml");
    expect(config.domain).toBe("lab.example.com");
    expect(config.services).toHaveLength(2);
  });

  it("merges mappings key by key and removes keys set to null", () => {
    const loaded = parseConfig(WITH_ENVIRONMENTS, "lab.yaml", { environment: "staging" });
    expect(loaded.environment).toBe("staging");
    expect(loaded.config.domain).toBe("staging.lab.example.com");
    expect(loaded.config.targets.grafana).toEqual({
      url: "https://grafana.staging.lab.example.com",
      token: "${secret:grafana_token}",
    });
  });

  it("replaces lists of plain values", () => {
    const { config } = parseConfig(WITH_ENVIRONMENTS, "lab.yaml", { environment: "staging" });
    expect(config.targets.docker?.endpoints).toEqual(["unix:///run/docker.sock"]);
  });

  it("merges lists of named items by name (or username) and appends new names", () => {
    const { config } = parseConfig(WITH_ENVIRONMENTS, "lab.yaml", { environment: "staging" });
    expect(config.services.map((service) => [service.name, service.group, service.href])).toEqual([
      ["Grafana", "Monitoring", "https://grafana.staging.lab.example.com"],
      ["NAS", "Storage", undefined],
      ["Wiki", "Docs", undefined],
    ]);
    expect(config.services[0]?.depends_on).toEqual(["prometheus"]);
    expect(config.identity?.users).toEqual([
      { username: "alice", name: "Alice", groups: ["admins"], active: false },
    ]);
  });

  it("treats an empty environment as no change", () => {
    const { config } = parseConfig(WITH_ENVIRONMENTS, "lab.yaml", { environment: "empty" });
    expect(config.domain).toBe("lab.example.com");
  });

  it("rejects an unknown environment, listing the known ones", () => {
    const issues = issuesOf(WITH_ENVIRONMENTS, "prod");
    expect(issues).toEqual([
      expect.objectContaining({
        line: 23,
        column: 1,
        rule: "unknown-environment",
        message: 'Environment "prod" is not defined in this file',
        hint: "known environments: staging, empty",
      }),
    ]);
    expect(issuesOf(BASE, "prod")).toEqual([
      expect.objectContaining({
        line: 1,
        column: 1,
        rule: "unknown-environment",
        hint: "the file defines no environments",
      }),
    ]);
  });

  it("points an error in a merged value at the overlay line that wrote it", () => {
    const text = `${BASE}environments:\n  staging:\n    services:\n      - name: Grafana\n        href: javascript:alert(1)\n`;
    const issues = issuesOf(text, "staging");
    expect(issues).toEqual([
      expect.objectContaining({
        line: 27,
        column: 15,
        rule: "invalid-url",
        path: ["services", 0, "href"],
        environment: "staging",
      }),
    ]);
  });

  it("points an error that the overlay did not touch at the base", () => {
    const text = BASE.replace(
      "group: Storage",
      "group: Storage\n    hrf: https://nas.lab.example.com",
    ).concat("environments:\n  staging:\n    domain: staging.lab.example.com\n");
    expect(issuesOf(text, "staging")).toEqual([
      expect.objectContaining({ line: 18, column: 5, rule: "unknown-key", path: ["services", 1, "hrf"] }),
    ]);
  });

  it("points a key missing from a new overlay item at that item", () => {
    const text = `${BASE}environments:\n  staging:\n    services:\n      - name: Wiki\n        href: https://wiki.lab.example.com\n`;
    expect(issuesOf(text, "staging")).toEqual([
      expect.objectContaining({ line: 26, column: 9, rule: "missing-key", path: ["services", 2, "group"] }),
    ]);
  });

  it("checks the overlays against their schema even when no environment is selected", () => {
    const text = `${BASE}environments:\n  staging:\n    daemon:\n      token: plain-text-token\n    sevices: []\n  Prod: {}\n`;
    expect(issuesOf(text).map((issue) => `${issue.line}:${issue.column} ${issue.rule}`)).toEqual([
      "26:14 literal-credential",
      "27:5 unknown-key",
      "28:3 invalid-environment-name",
    ]);
  });

  it("reports a non-mapping overlay without merging it", () => {
    const text = `${BASE}environments:\n  staging: [a, b]\n`;
    expect(issuesOf(text, "staging").map((issue) => `${issue.line}:${issue.column} ${issue.rule}`)).toEqual([
      "24:12 wrong-type",
    ]);
  });
});

describe("validateAllEnvironments", () => {
  it("finds nothing wrong in the example", () => {
    const text = readFileSync("examples/homelab.yaml", "utf8");
    expect(validateAllEnvironments(text, "examples/homelab.yaml")).toEqual({
      environments: ["staging"],
      errors: [],
      warnings: [],
    });
  });

  it("reports problems of the base once and problems of each environment with its name", () => {
    const text = `${BASE.replace("group: Storage", "group: Storage\n    slug: Bad")}environments:
  staging:
    services:
      - name: Grafana
        sso: oidc
        href: null
  prod:
    targets:
      authentik: null
`;
    const result = validateAllEnvironments(text, "lab.yaml");
    expect(result.environments).toEqual(["staging", "prod"]);
    expect(result.errors.map((issue) => [issue.line, issue.column, issue.rule, issue.environment])).toEqual([
      [18, 11, "invalid-slug", undefined],
    ]);
    const fixed = text.replace("slug: Bad", "slug: nas");
    const perEnvironment = validateAllEnvironments(fixed, "lab.yaml");
    expect(
      perEnvironment.errors.map((issue) => [issue.line, issue.column, issue.rule, issue.environment]),
    ).toEqual([
      [20, 3, "missing-target", "prod"],
      [28, 14, "sso-needs-href", "staging"],
    ]);
    expect(perEnvironment.warnings).toEqual([]);
  });

  it("stops at YAML errors", () => {
    expect(validateAllEnvironments("a: [", "lab.yaml").errors.map((issue) => issue.rule)).toEqual([
      "yaml-syntax",
    ]);
  });
});
