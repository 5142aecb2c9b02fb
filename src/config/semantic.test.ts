import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.ts";
import type { ConfigIssue } from "./config-issue.ts";
import { parseConfig } from "./load.ts";

const HEADER = `apiVersion: autopilot/v1
domain: lab.example.com
targets:
  authentik: { url: https://auth.lab.example.com, token: "\${secret:ak}" }
  grafana: { url: https://grafana.lab.example.com, token: "\${secret:gf}" }
`;
const HEADER_LINES = 5;

/** 1-based line:column of the n-th occurrence of `needle`, counted on the text itself. */
function at(text: string, needle: string, occurrence = 1): string {
  let offset = -1;
  for (let found = 0; found < occurrence; found++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`${needle} #${occurrence} not in text`);
  }
  const before = text.slice(0, offset).split("\n");
  return `${before.length}:${(before.at(-1) ?? "").length + 1}`;
}

const dir = mkdtempSync(join(tmpdir(), "autopilot-semantic-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function check(
  text: string,
  options: { checkFiles?: boolean } = {},
): { errors: ConfigIssue[]; warnings: ConfigIssue[] } {
  try {
    return { errors: [], warnings: parseConfig(text, join(dir, "lab.yaml"), options).warnings };
  } catch (error) {
    if (error instanceof ConfigError) return { errors: error.issues, warnings: [] };
    throw error;
  }
}

function summary(issues: ConfigIssue[]): string[] {
  return issues.map((issue) => `${issue.line}:${issue.column} ${issue.rule}`);
}

describe("services", () => {
  it("rejects a second service with the same name in a group, naming the first one's line", () => {
    const text = `${HEADER}services:
  - { name: Grafana, group: Monitoring }
  - { name: Grafana, group: Other, slug: grafana-other }
  - { name: grafana, group: Monitoring, slug: grafana-2 }
`;
    const { errors } = check(text);
    expect(summary(errors)).toEqual([`${at(text, "grafana, group")} duplicate-name`]);
    expect(errors[0]?.message).toBe(
      `services[2].name repeats the service "Grafana" of group "Monitoring" at line ${HEADER_LINES + 2}`,
    );
  });

  it("rejects two services whose slugs collide, at the explicit slug or at the name it derives from", () => {
    const text = `${HEADER}services:
  - { name: Home Assistant, group: Home }
  - { name: home-assistant, group: Other }
  - { name: HA, group: Home, slug: home-assistant }
`;
    const { errors } = check(text);
    expect(summary(errors)).toEqual([
      `${at(text, "home-assistant, group")} duplicate-slug`,
      `${at(text, "home-assistant }")} duplicate-slug`,
    ]);
    expect(errors[0]?.message).toContain(
      `gives the slug "home-assistant", already used by "Home Assistant" at line ${HEADER_LINES + 2}`,
    );
  });

  it("rejects a service that depends on itself by name or slug", () => {
    const text = `${HEADER}services:
  - { name: Home Assistant, group: Home, depends_on: [mqtt, home-assistant, Home Assistant] }
`;
    const { errors } = check(text);
    expect(summary(errors)).toEqual([
      `${at(text, "home-assistant,")} self-dependency`,
      `${at(text, "Home Assistant]")} self-dependency`,
    ]);
  });

  it("requires href for sso oidc and proxy", () => {
    const text = `${HEADER}services:
  - { name: A, group: G, sso: oidc }
  - { name: B, group: G, sso: proxy }
  - { name: C, group: G, sso: none }
  - { name: D, group: G, sso: oidc, href: "https://d.lab.example.com" }
`;
    const { errors } = check(text);
    expect(summary(errors)).toEqual([
      `${at(text, "oidc")} sso-needs-href`,
      `${at(text, "proxy")} sso-needs-href`,
    ]);
    expect(errors[0]?.hint).toContain("launch URL");
  });
});

describe("targets a section needs", () => {
  const noTargets = "apiVersion: autopilot/v1\ndomain: lab.example.com\n";

  it("requires targets.grafana when monitoring asks for anything", () => {
    const { errors } = check(`${noTargets}monitoring:\n  teams: [{ name: Ops }]\n`);
    expect(errors).toEqual([
      expect.objectContaining({
        line: 4,
        column: 3,
        rule: "missing-target",
        message: "monitoring needs targets.grafana to be configured",
      }),
    ]);
    expect(errors[0]?.hint).toContain("targets.grafana");
    expect(check(`${noTargets}monitoring: { datasources: [] }\n`).errors).toEqual([]);
    for (const body of [
      "monitoring:\n  alerts: { policy: { receiver: ops } }\n",
      "monitoring:\n  alerts: { rules: [{ title: T, folder: F, group: G, expr: up == 0 }] }\n",
      'monitoring:\n  dashboards: [{ file: "x.json" }]\n',
      "monitoring:\n  folders: [{ title: F }]\n",
      "monitoring:\n  serviceAccounts: [{ name: bot, role: Viewer }]\n",
      "monitoring:\n  alerts: { contactPoints: [{ name: c, type: email, settings: { addresses: a@b.c } }] }\n",
    ]) {
      expect(check(`${noTargets}${body}`, { checkFiles: false }).errors.map((issue) => issue.rule)).toEqual([
        "missing-target",
      ]);
    }
  });

  it("requires targets.authentik for identity, or else for the first service using sso", () => {
    const identity = check(`${noTargets}identity:\n  groups: [{ name: admins }]\n`);
    expect(identity.errors).toEqual([
      expect.objectContaining({ line: 4, column: 3, rule: "missing-target" }),
    ]);
    const ssoText = `${noTargets}services:\n  - { name: A, group: G }\n  - { name: B, group: G, sso: proxy, href: "https://b.example.com" }\n`;
    const sso = check(ssoText);
    expect(summary(sso.errors)).toEqual([`${at(ssoText, "proxy")} missing-target`]);
    expect(sso.errors[0]?.path).toEqual(["services", 1, "sso"]);
    expect(check(`${noTargets}identity: {}\nservices:\n  - { name: A, group: G }\n`).errors).toEqual([]);
  });
});

describe("identity", () => {
  it("warns about a user's group that identity.groups does not declare", () => {
    const text = `${HEADER}identity:
  groups: [{ name: admins }]
  users:
    - { username: alice, name: Alice, groups: [admins, authentik Admins] }
`;
    const { errors, warnings } = check(text);
    expect(errors).toEqual([]);
    expect(summary(warnings)).toEqual([`${at(text, "authentik Admins")} undeclared-group`]);
    expect(warnings[0]).toMatchObject({
      severity: "warning",
      message: expect.stringContaining('"authentik Admins"'),
    });
  });

  it("rejects undeclared parents and names a cycle of parents", () => {
    const text = `${HEADER}identity:
  groups:
    - { name: a, parents: [b] }
    - { name: b, parents: [c, ghost] }
    - { name: c, parents: [a] }
    - { name: d, parents: [d] }
`;
    const { errors } = check(text);
    expect(summary(errors)).toEqual([
      `${at(text, "ghost")} unknown-parent`,
      `${at(text, "a] }")} group-cycle`,
      `${at(text, "d] }")} group-cycle`,
    ]);
    expect(errors[1]?.message).toContain("a → b → c → a");
    expect(errors[2]?.message).toContain("d → d");
  });

  it("rejects duplicate group names and usernames", () => {
    const text = `${HEADER}identity:
  groups: [{ name: admins }, { name: Admins }]
  users:
    - { username: bob, name: Bob }
    - { username: bob, name: Robert }
`;
    const { errors } = check(text);
    expect(summary(errors)).toEqual([
      `${at(text, "Admins")} duplicate-name`,
      `${at(text, "bob", 2)} duplicate-name`,
    ]);
  });
});

describe("monitoring", () => {
  it("rejects duplicate datasource names and uids and a second default", () => {
    const text = `${HEADER}monitoring:
  datasources:
    - { name: Prometheus, uid: prom, type: prometheus, url: "http://p:9090", isDefault: true }
    - { name: prometheus, type: prometheus, url: "http://p2:9090" }
    - { name: Thanos, uid: prom, type: prometheus, url: "http://t:9090", isDefault: true }
`;
    const { errors } = check(text);
    expect(summary(errors)).toEqual([
      `${at(text, "prometheus, type")} duplicate-name`,
      `${at(text, "prom,", 2)} duplicate-uid`,
      `${at(text, "true", 2)} multiple-defaults`,
    ]);
    expect(errors[2]?.message).toContain(`the one at line ${HEADER_LINES + 3} already is`);
  });

  it("rejects duplicate contact point names", () => {
    const text = `${HEADER}monitoring:
  alerts:
    contactPoints:
      - { name: ops, type: email, settings: { addresses: a@lab.example.com } }
      - { name: ops, type: email, settings: { addresses: b@lab.example.com } }
`;
    const { errors } = check(text);
    expect(summary(errors)).toEqual([`${at(text, "ops", 2)} duplicate-name`]);
  });

  it("checks that each dashboard file exists and holds a JSON object", () => {
    mkdirSync(join(dir, "dashboards"), { recursive: true });
    writeFileSync(join(dir, "dashboards", "ok.json"), JSON.stringify({ title: "ok", panels: [] }));
    writeFileSync(join(dir, "dashboards", "broken.json"), '{\n  "title": "x",\n}');
    writeFileSync(join(dir, "dashboards", "list.json"), "[1, 2]");
    mkdirSync(join(dir, "dashboards", "folder.json"), { recursive: true });
    const text = `${HEADER}monitoring:
  dashboards:
    - file: dashboards/ok.json
    - file: dashboards/missing.json
    - file: dashboards/broken.json
    - file: dashboards/list.json
    - file: dashboards/folder.json
`;
    const { errors } = check(text);
    expect(summary(errors)).toEqual(
      ["dashboards/missing", "dashboards/broken", "dashboards/list", "dashboards/folder"].map(
        (file) => `${at(text, file)} dashboard-file`,
      ),
    );
    expect(errors.map((issue) => issue.message)).toEqual([
      `monitoring.dashboards[1].file does not exist (resolved to ${join(dir, "dashboards", "missing.json")})`,
      "monitoring.dashboards[2].file is not valid JSON (error at line 3, column 1)",
      "monitoring.dashboards[3].file must contain a dashboard JSON object",
      `monitoring.dashboards[4].file is not a file (resolved to ${join(dir, "dashboards", "folder.json")})`,
    ]);
    expect(check(text, { checkFiles: false }).errors).toEqual([]);
  });
});

describe("docker", () => {
  it("warns about plain tcp to a remote daemon, not to loopback or with TLS", () => {
    const endpoints = (list: string, tls = "") =>
      `apiVersion: autopilot/v1\ndomain: lab.example.com\ntargets:\n  docker:\n    endpoints: [${list}]\n${tls}`;
    const text = endpoints(
      '"tcp://10.0.0.2:2375", "tcp://127.0.0.1:2375", "tcp://[::1]:2375", "tcp://localhost:2375", unix:///run/docker.sock',
    );
    expect(summary(check(text).warnings)).toEqual([`${at(text, '"tcp://10')} plaintext-docker`]);
    const withTls = endpoints(
      '"tcp://10.0.0.2:2376"',
      "    tls: { ca: ca.pem, cert: cert.pem, key: key.pem }\n",
    );
    expect(check(withTls).warnings).toEqual([]);
  });
});
