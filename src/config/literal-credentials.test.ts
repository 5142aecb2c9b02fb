import { afterEach, describe, expect, it } from "vitest";
import { redactor } from "../secrets/redactor.ts";
import { HEADER, issuesOf } from "./config-probe.ts";
import { parseConfig } from "./load.ts";

afterEach(() => redactor.clear());

describe("literal credentials", () => {
  const cases: [string, string, number, number, string][] = [
    [
      "a target token",
      `targets:\n  authentik:\n    url: https://auth.lab.example.com\n    token: ak-literal-token-value\n`,
      6,
      12,
      "targets.authentik.token",
    ],
    [
      "a basicAuth password",
      `targets:\n  grafana:\n    url: https://g.lab.example.com\n    token: "\${secret:g}"\n    basicAuth: { username: admin, password: "admin-literal" }\n`,
      7,
      45,
      "targets.grafana.basicAuth.password",
    ],
    [
      "a widget key",
      `services:\n  - name: Sonarr\n    group: Media\n    widget:\n      type: sonarr\n      apiKey: 0123456789abcdef\n`,
      8,
      15,
      "services[0].widget.apiKey",
    ],
    [
      "a datasource secureJsonData value",
      `monitoring:\n  datasources:\n    - name: Loki\n      type: loki\n      url: http://loki:3100\n      secureJsonData:\n        basicAuthPassword: loki-literal-pass\n`,
      9,
      28,
      "monitoring.datasources[0].secureJsonData.basicAuthPassword",
    ],
    [
      "a contact point setting",
      `monitoring:\n  alerts:\n    contactPoints:\n      - name: tg\n        type: telegram\n        settings:\n          bottoken: "123456:telegram-literal"\n          chatid: "42"\n`,
      9,
      21,
      "monitoring.alerts.contactPoints[0].settings.bottoken",
    ],
    ["a daemon token given as a number", `daemon:\n  token: 12345678\n`, 4, 10, "daemon.token"],
    [
      "a Vault secretId",
      `secrets:\n  store: vault\n  vault:\n    address: https://vault.lab.example.com\n    auth: { method: approle, roleId: my-role, secretId: s-literal-secret }\n`,
      7,
      57,
      "secrets.vault.auth.secretId",
    ],
  ];

  it.each(cases)(
    "refuses %s, pointing at the value and never quoting it",
    (_kind, body, line, column, path) => {
      const issues = issuesOf(`${HEADER}${body}`);
      expect(issues).toEqual([
        expect.objectContaining({
          line,
          column,
          rule: "literal-credential",
          message: `${path} holds a literal value; credentials must be secret references like \${secret:NAME}`,
        }),
      ]);
      for (const literal of [
        "ak-literal-token-value",
        "admin-literal",
        "0123456789abcdef",
        "loki-literal-pass",
        "telegram-literal",
        "12345678",
        "s-literal-secret",
      ]) {
        expect(JSON.stringify(issues)).not.toContain(literal);
      }
    },
  );

  it("reports a malformed reference with the reason", () => {
    const issues = issuesOf(`${HEADER}daemon:\n  token: "\${vault:apps/daemon}"\n`);
    expect(issues).toEqual([
      expect.objectContaining({
        line: 4,
        column: 10,
        rule: "invalid-secret-reference",
        message: expect.stringContaining("PATH#KEY"),
      }),
    ]);
  });

  it("accepts every reference kind in credential fields", () => {
    for (const token of [
      "${secret:d}",
      "${env:DAEMON_TOKEN}",
      "${file:/run/secrets/daemon}",
      "${vault:apps/daemon#token}",
    ]) {
      const loaded = parseConfig(`${HEADER}daemon:\n  token: "${token}"\n`, "lab.yaml");
      expect(loaded.config.daemon?.token).toBe(token);
    }
  });
});
