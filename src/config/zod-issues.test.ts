import { afterEach, describe, expect, it } from "vitest";
import { redactor } from "../secrets/redactor.ts";
import { HEADER, issuesOf, positionOf, where } from "./config-probe.ts";
import { parseConfig } from "./load.ts";

afterEach(() => redactor.clear());

describe("schema problems are located at the exact node", () => {
  it("points an unknown key at the key and suggests the closest known one", () => {
    const issues = issuesOf(
      `${HEADER}services:\n  - name: Grafana\n    group: Monitoring\n    hrf: https://grafana.lab.example.com\n`,
    );
    expect(issues).toEqual([
      expect.objectContaining({
        line: 6,
        column: 5,
        rule: "unknown-key",
        path: ["services", 0, "hrf"],
        message: "services[0].hrf is not a known key",
        hint: "did you mean href?",
      }),
    ]);
  });

  it("lists the known keys when no key is close", () => {
    const [issue] = issuesOf(`${HEADER}daemon:\n  token: "\${secret:d}"\n  zzzzzz: 1\n`);
    expect(issue?.hint).toBe("known keys here: listen, token, reconcileInterval, publicMetrics");
  });

  it("points a missing key at the mapping that lacks it", () => {
    expect(issuesOf(`${HEADER}services:\n  - name: Grafana\n`)).toEqual([
      expect.objectContaining({
        line: 4,
        column: 5,
        rule: "missing-key",
        message: "services[0].group is required",
      }),
    ]);
    expect(where(issuesOf("domain: lab.example.com\n"))).toEqual(["1:1 missing-key"]);
  });

  it("names the expected type of a wrong value and points at the value", () => {
    const text = `${HEADER}daemon:\n  token: "\${secret:d}"\n  listen: 8300\n  reconcileInterval: 30\n  publicMetrics: "yes"\npolicies:\n  healing: { maxRestarts: 2.5 }\nservices: {}\n`;
    const issues = issuesOf(text);
    expect(where(issues)).toEqual([
      "5:11 wrong-type",
      "6:22 wrong-type",
      "7:18 wrong-type",
      "9:27 wrong-type",
      "10:11 wrong-type",
    ]);
    expect(issues[0]?.message).toBe(
      "daemon.listen must be an address like 127.0.0.1:8300 or [::1]:8300 (found a number)",
    );
    expect(issues[1]?.message).toBe(
      "daemon.reconcileInterval must be a duration like 30s, 10m or 1h30m (found a number)",
    );
    expect(issues[2]?.message).toBe("daemon.publicMetrics must be true or false (found text)");
    expect(issues[3]?.message).toBe("policies.healing.maxRestarts must be a whole number (found a number)");
    expect(issues[4]?.message).toBe("services must be a list (found a mapping)");
  });

  it("points an empty value at its key", () => {
    expect(issuesOf(`apiVersion: autopilot/v1\ndomain:\n`)).toEqual([
      expect.objectContaining({
        line: 2,
        column: 1,
        rule: "wrong-type",
        message: expect.stringContaining("(found nothing)"),
      }),
    ]);
  });

  it("reports enum, literal, range and list-length violations", () => {
    const text = `apiVersion: autopilot/v2\ndomain: lab.example.com\nsecrets: { store: disk }\ntargets:\n  docker: { endpoints: [] }\n  grafana: { url: "https://g.example.com", token: "\${secret:t}", http: { maxAttempts: 0, rateLimit: 0, concurrency: 65 } }\n`;
    const issues = issuesOf(text);
    expect(where(issues)).toEqual([
      "1:13 invalid-value",
      "3:19 invalid-value",
      "5:24 too-few-items",
      `${positionOf(text, "0, rateLimit")} out-of-range`,
      `${positionOf(text, "0, concurrency")} out-of-range`,
      `${positionOf(text, "65 }")} out-of-range`,
    ]);
    expect(issues[0]?.message).toBe("apiVersion must be autopilot/v1");
    expect(issues[1]?.message).toBe("secrets.store must be one of: age, vault");
    expect(issues.slice(3).map((issue) => issue.message)).toEqual([
      "targets.grafana.http.maxAttempts must be at least 1",
      "targets.grafana.http.rateLimit must be more than 0",
      "targets.grafana.http.concurrency must be at most 64",
    ]);
  });

  it("reports an unknown or missing discriminator of the Vault auth method", () => {
    const base = `${HEADER}secrets:\n  store: vault\n  vault:\n    address: https://vault.lab.example.com\n    auth:\n`;
    expect(issuesOf(`${base}      method: kerberos\n`)).toEqual([
      expect.objectContaining({
        line: 8,
        column: 15,
        rule: "invalid-value",
        message: "secrets.vault.auth.method must be one of: token, approle",
      }),
    ]);
    expect(where(issuesOf(`${base}      token: "\${secret:v}"\n`))).toEqual(["8:7 missing-key"]);
    expect(where(issuesOf(`${HEADER}secrets:\n  store: vault\n`))).toEqual(["4:3 missing-key"]);
  });

  it("narrows a failed union to the option whose type matched", () => {
    const tls = (pin: string) =>
      `${HEADER}targets:\n  prometheus:\n    url: http://127.0.0.1:9090\n    tls:\n      pin: ${pin}\n`;
    expect(where(issuesOf(tls("[nope]")))).toEqual(["7:13 invalid-pin"]);
    expect(where(issuesOf(tls("nope")))).toEqual(["7:12 invalid-pin"]);
    expect(issuesOf(tls("42"))).toEqual([
      expect.objectContaining({ line: 7, column: 12, rule: "wrong-type" }),
    ]);
    const widget = `${HEADER}services:\n  - name: A\n    group: G\n    widget: { type: x, nested: { a: 1 } }\n`;
    expect(issuesOf(widget)).toEqual([
      expect.objectContaining({
        line: 6,
        column: 32,
        rule: "wrong-type",
        message: expect.stringContaining("text, a number, true/false or a list of those"),
      }),
    ]);
  });
});

describe("URLs", () => {
  const withHref = (href: string) =>
    `${HEADER}services:\n  - name: Wiki\n    group: Docs\n    href: ${href}\n`;

  it.each([
    ["javascript:alert(1)", "must be an http:// or https:// URL, not a javascript: URL"],
    ["data:text/html,<script>x</script>", "must be an http:// or https:// URL, not a data: URL"],
    ["ftp://files.lab.example.com", "must be an http:// or https:// URL, not a ftp: URL"],
    ["//wiki.lab.example.com", "must be an http:// or https:// URL"],
    ['"https://wiki.lab.example.com/a b"', "must not contain spaces or control characters"],
    ['"java\\tscript:alert(1)"', "must not contain spaces or control characters"],
    ['"https://"', "must be an http:// or https:// URL"],
    [`https://wiki.lab.example.com/${"a".repeat(2100)}`, "must be at most 2048 characters"],
  ])("refuses %.40s at the value", (href, message) => {
    expect(issuesOf(withHref(href))).toEqual([
      expect.objectContaining({
        line: 6,
        column: 11,
        rule: "invalid-url",
        message: `services[0].href ${message}`,
      }),
    ]);
  });

  it("refuses credentials in a URL without echoing them, and masks them from then on", () => {
    const issues = issuesOf(withHref("https://admin:S3cretPassw0rd@wiki.lab.example.com"));
    expect(issues).toEqual([expect.objectContaining({ line: 6, column: 11, rule: "url-credentials" })]);
    expect(JSON.stringify(issues)).not.toContain("S3cretPassw0rd");
    expect(redactor.redact("leaked S3cretPassw0rd")).toBe("leaked [redacted]");
    expect(where(issuesOf(withHref("https://ghp_abcdefghijkl@wiki.lab.example.com")))).toEqual([
      "6:11 url-credentials",
    ]);
    expect(redactor.redact("ghp_abcdefghijkl")).toBe("[redacted]");
  });

  it("accepts http and https URLs with ports, paths and queries", () => {
    for (const href of [
      "http://10.0.0.5:8080/",
      "HTTPS://Wiki.Lab.Example.com/a?b=c#d",
      "http://[::1]:3000",
    ]) {
      expect(parseConfig(withHref(href), "lab.yaml").config.services[0]?.href).toBe(href);
    }
  });
});

describe("free-form settings", () => {
  it("refuses references anywhere inside non-secret settings", () => {
    const text = `${HEADER}monitoring:\n  datasources:\n    - name: P\n      type: prometheus\n      url: http://p:9090\n      jsonData: { headers: [ok, "\${secret:h}"] }\n`;
    expect(issuesOf(text)).toEqual([
      expect.objectContaining({
        line: 8,
        column: 33,
        rule: "reference-not-allowed",
        path: ["monitoring", "datasources", 0, "jsonData", "headers", 1],
      }),
    ]);
  });

  it("checks credential keys and references at any depth of contact point settings", () => {
    const text = `${HEADER}monitoring:
  alerts:
    contactPoints:
      - name: hook
        type: webhook
        settings:
          url: "\${secret:hook_url}"
          http_config: { headers: [{ name: X-Id, value: "\${broken" }], password: 4242 }
          disableResolveMessage: false
          token: null
`;
    const issues = issuesOf(text);
    expect(issues.map((issue) => [issue.path.slice(-3).join("."), issue.rule])).toEqual([
      ["headers.0.value", "invalid-secret-reference"],
      ["settings.http_config.password", "literal-credential"],
    ]);
    expect(redactor.redact("4242")).toBe("[redacted]");
  });

  it("checks every string of a widget list and refuses nested mappings", () => {
    const text = `${HEADER}services:\n  - name: A\n    group: G\n    widget: { type: customapi, fields: [a, "\${secret:}"], token: [x] }\n`;
    expect(issuesOf(text).map((issue) => [issue.path.slice(2).join("."), issue.rule])).toEqual([
      ["widget.fields.1", "invalid-secret-reference"],
      ["widget.token", "literal-credential"],
    ]);
  });

  it("reports an invalid key of a mapping at the key", () => {
    const text = `${HEADER}monitoring:\n  datasources:\n    - name: P\n      type: prometheus\n      url: http://p:9090\n      secureJsonData: { "": "\${secret:p}" }\n`;
    expect(issuesOf(text)).toEqual([
      expect.objectContaining({
        line: 8,
        column: 25,
        rule: "too-short",
        message: expect.stringContaining("is not an allowed key"),
      }),
    ]);
  });

  it("suggests keys of every option of a union", () => {
    const text = `${HEADER}secrets:\n  store: vault\n  vault:\n    address: https://vault.lab.example.com\n    auth: { method: approle, roleID: r, secretId: "\${secret:s}" }\n`;
    expect(issuesOf(text)).toEqual([
      expect.objectContaining({
        line: 7,
        column: 11,
        rule: "missing-key",
        path: ["secrets", "vault", "auth", "roleId"],
      }),
      expect.objectContaining({ line: 7, column: 30, rule: "unknown-key", hint: "did you mean roleId?" }),
    ]);
  });

  it("refuses a text larger than 2 MiB before parsing it", () => {
    expect(where(issuesOf(`${HEADER}#${"x".repeat(2 * 1024 * 1024)}\n`))).toEqual(["1:1 file-too-large"]);
  });
});
