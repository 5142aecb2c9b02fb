import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { z } from "zod";
import { redactor } from "../secrets/redactor.ts";
import { isCredentialKey } from "./credential-keys.ts";
import { duration, parseDuration } from "./duration-field.ts";
import { email, name, path, personName, slug, title, username } from "./fields.ts";
import { closestKey, editDistance } from "./key-suggestion.ts";
import { dnsName, isDockerEndpoint, isSpkiPin, listenAddress, parseHostPort } from "./network-fields.ts";
import { secretRef, stringOrSecretRef, urlOrSecretRef } from "./secret-fields.ts";
import { icon } from "./services-schema.ts";
import { deriveSlug } from "./slug.ts";
import { url, urlProblem } from "./url-field.ts";

afterEach(() => redactor.clear());

/** The rule a value breaks, or "ok". */
function ruleOf(schema: z.ZodType, value: unknown): string {
  const result = schema.safeParse(value);
  if (result.success) return "ok";
  const issue = result.error.issues[0];
  return issue?.code === "custom" ? String(issue.params?.rule) : String(issue?.code);
}

describe("name", () => {
  it.each([
    ["Grafana", "ok"],
    ["Home Assistant (main)", "ok"],
    ["Café & Bar+1", "ok"],
    ["Ünïcødé", "ok"],
    ["日本語", "ok"],
    ["a".repeat(64), "ok"],
    ["a".repeat(65), "invalid-name"],
    ["", "invalid-name"],
    [" leading", "invalid-name"],
    ["trailing ", "invalid-name"],
    ["-dash", "invalid-name"],
    ["semi;colon", "invalid-name"],
    ["new\nline", "invalid-name"],
    ["tab\there", "invalid-name"],
    ["<script>", "invalid-name"],
    ["${secret:x}", "reference-not-allowed"],
  ])("%j → %s", (value, rule) => {
    expect(ruleOf(name, value)).toBe(rule);
  });

  it("allows apostrophes in person names but not line breaks or bidi overrides", () => {
    expect(ruleOf(personName, "Seán O'Brien, Jr.")).toBe("ok");
    expect(ruleOf(personName, "a\u202eb")).toBe("invalid-name");
    expect(ruleOf(personName, "a\nb")).toBe("invalid-name");
  });

  it("bounds titles", () => {
    expect(ruleOf(title(10), "0123456789")).toBe("ok");
    expect(ruleOf(title(10), "0123456789x")).toBe("invalid-text");
    expect(ruleOf(title(10), "a\u0007")).toBe("invalid-text");
  });
});

describe("slugs", () => {
  it.each([
    ["grafana", "ok"],
    ["home-assistant", "ok"],
    ["a", "ok"],
    ["a".repeat(50), "ok"],
    ["a".repeat(51), "invalid-slug"],
    ["Grafana", "invalid-slug"],
    ["-grafana", "invalid-slug"],
    ["grafana-", "invalid-slug"],
    ["gra_fana", "invalid-slug"],
    ["", "invalid-slug"],
  ])("%j → %s", (value, rule) => {
    expect(ruleOf(slug, value)).toBe(rule);
  });

  it.each([
    ["Grafana", "grafana"],
    ["Home Assistant", "home-assistant"],
    ["  Jellyfin (4K)!  ", "jellyfin-4k"],
    ["Café Crème", "cafe-creme"],
    ["a".repeat(60), "a".repeat(50)],
    [`${"a".repeat(49)} b`, "a".repeat(49)],
    ["日本語", undefined],
    ["---", undefined],
  ])("derives %j → %j", (input, expected) => {
    expect(deriveSlug(input)).toBe(expected);
  });
});

describe("durations", () => {
  it.each([
    ["500ms", 500],
    ["30s", 30_000],
    ["10m", 600_000],
    ["2h", 7_200_000],
    ["90d", 7_776_000_000],
    ["1h30m", 5_400_000],
    ["1m1ms", 60_001],
  ])("%s is %i ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
    expect(duration.parse(text)).toBe(ms);
  });

  it.each(["30", "10 m", "1.5h", "1y", "", "h", "-1s", "1H"])("refuses %j", (text) => {
    expect(parseDuration(text)).toBeUndefined();
    expect(ruleOf(duration, text)).toBe("invalid-duration");
  });

  it("refuses zero and more than a year", () => {
    expect(ruleOf(duration, "0s")).toBe("invalid-duration");
    expect(ruleOf(duration, "367d")).toBe("invalid-duration");
    expect(ruleOf(duration, "366d")).toBe("ok");
  });
});

describe("URLs", () => {
  it.each([
    ["https://grafana.lab.example.com", undefined],
    ["http://10.0.0.1:3000/path?q=1", undefined],
    ["javascript:alert(1)", "invalid-url"],
    ["JavaScript:alert(1)", "invalid-url"],
    ["data:text/html;base64,PHNjcmlwdD4=", "invalid-url"],
    ["file:///etc/passwd", "invalid-url"],
    ["ftp://x.example.com", "invalid-url"],
    ["grafana.lab.example.com", "invalid-url"],
    ["http://", "invalid-url"],
    ["http://exa mple.com", "invalid-url"],
    ["http://example.com/\u0000", "invalid-url"],
    ["https://[::1", "invalid-url"],
    ["https://u:p@example.com", "url-credentials"],
  ])("%j → %s", (value, rule) => {
    expect(urlProblem(value)?.rule).toBe(rule);
  });

  it("names the refused scheme but never the rest of the URL", () => {
    expect(urlProblem("javascript:fetch('//evil')")?.predicate).toBe(
      "must be an http:// or https:// URL, not a javascript: URL",
    );
    expect(urlProblem("https://admin:hunter2hunter2@x.example.com")?.predicate).not.toContain("hunter2");
  });

  it("can require https", () => {
    expect(urlProblem("http://x.example.com", { httpsOnly: true })?.rule).toBe("invalid-url");
    expect(urlProblem("https://x.example.com", { httpsOnly: true })).toBeUndefined();
  });

  it("registers a percent-encoded password in both forms", () => {
    urlProblem("https://user:p%40ss-word-1@x.example.com");
    expect(redactor.redact("p%40ss-word-1 p@ss-word-1")).toBe("[redacted] [redacted]");
  });

  it("refuses references in plain URL fields but accepts them where a URL may carry a token", () => {
    expect(ruleOf(url, "${secret:u}")).toBe("reference-not-allowed");
    expect(ruleOf(urlOrSecretRef, "${secret:ntfy_url}")).toBe("ok");
    expect(ruleOf(urlOrSecretRef, "https://ntfy.sh/topic")).toBe("ok");
    expect(ruleOf(urlOrSecretRef, "javascript:x")).toBe("invalid-url");
    expect(ruleOf(urlOrSecretRef, "${secret:bad name}")).toBe("invalid-secret-reference");
  });
});

describe("secret references", () => {
  it("accepts references and refuses literals without repeating them", () => {
    expect(ruleOf(secretRef, "${secret:grafana_token}")).toBe("ok");
    const result = secretRef.safeParse("glsa_literal_token_value");
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).not.toContain("glsa_literal_token_value");
    expect(redactor.redact("glsa_literal_token_value")).toBe("[redacted]");
  });

  it("accepts a role id as a literal or a reference, not empty", () => {
    expect(ruleOf(stringOrSecretRef, "my-role")).toBe("ok");
    expect(ruleOf(stringOrSecretRef, "${env:ROLE_ID}")).toBe("ok");
    expect(ruleOf(stringOrSecretRef, " ")).toBe("invalid-text");
    expect(ruleOf(stringOrSecretRef, "${env:1}")).toBe("invalid-secret-reference");
  });

  it.each([
    ["password", true],
    ["pass", true],
    ["key", true],
    ["apiKey", true],
    ["api_key", true],
    ["apikey", true],
    ["authToken", true],
    ["clientSecret", true],
    ["client_secret", true],
    ["bottoken", true],
    ["adminPassword", true],
    ["authorization_credentials", true],
    ["X-Api-Key", true],
    ["username", false],
    ["url", false],
    ["tokenUrl", false],
    ["keyId", false],
    ["enableQueue", false],
    ["monkey", false],
    ["", false],
  ])("isCredentialKey(%j) is %s", (key, expected) => {
    expect(isCredentialKey(key)).toBe(expected);
  });
});

describe("network fields", () => {
  it.each([
    ["lab.example.com", "ok"],
    ["localhost", "ok"],
    ["Lab.example.com", "invalid-domain"],
    ["lab..example.com", "invalid-domain"],
    ["-lab.example.com", "invalid-domain"],
    ["lab.example.com.", "invalid-domain"],
    [`${"a".repeat(64)}.com`, "invalid-domain"],
  ])("domain %j → %s", (value, rule) => {
    expect(ruleOf(dnsName, value)).toBe(rule);
  });

  it.each([
    ["127.0.0.1:8300", { host: "127.0.0.1", port: 8300 }],
    ["[::1]:8300", { host: "::1", port: 8300 }],
    ["0.0.0.0:1", { host: "0.0.0.0", port: 1 }],
    ["autopilot.lab:65535", { host: "autopilot.lab", port: 65_535 }],
    ["127.0.0.1:0", undefined],
    ["127.0.0.1:65536", undefined],
    ["::1:8300", undefined],
    ["[not-ip]:80", undefined],
    ["host", undefined],
    ["bad_host:80", undefined],
  ])("listen %j", (value, expected) => {
    expect(parseHostPort(value)).toEqual(expected);
    expect(ruleOf(listenAddress, value)).toBe(expected ? "ok" : "invalid-listen-address");
  });

  it.each([
    ["unix:///var/run/docker.sock", true],
    ["tcp://10.0.0.2:2376", true],
    ["tcp://[fd00::2]:2376", true],
    ["unix://relative.sock", false],
    ["unix:///", false],
    ["unix:///with space.sock", false],
    ["tcp://host", false],
    ["http://host:2375", false],
  ])("docker endpoint %j is %s", (value, expected) => {
    expect(isDockerEndpoint(value)).toBe(expected);
  });

  it("accepts an SPKI pin only when it decodes to 32 bytes", () => {
    const pin = `sha256/${createHash("sha256").update("key").digest("base64")}`;
    expect(isSpkiPin(pin)).toBe(true);
    expect(isSpkiPin(pin.replace("sha256/", "sha1/"))).toBe(false);
    expect(isSpkiPin("sha256/short=")).toBe(false);
  });
});

describe("other text fields", () => {
  it.each([
    ["alice@lab.example.com", "ok", email],
    ["alice", "invalid-email", email],
    ["alice@", "invalid-email", email],
    ["alice.o'brien", "invalid-username", username],
    ["svc+bot@lab", "ok", username],
    ["./a/b", "ok", path],
    ["a\0b", "invalid-path", path],
    ["", "invalid-path", path],
    ["grafana.png", "ok", icon],
    ["mdi-home", "ok", icon],
    ["/icons/router.png", "ok", icon],
    ["/icons/../../etc/passwd", "invalid-icon", icon],
    ["https://cdn.example.com/x.svg", "ok", icon],
    ["http://cdn.example.com/x.svg", "invalid-icon", icon],
    ["javascript:alert(1)", "invalid-icon", icon],
    ["../../etc/passwd", "invalid-icon", icon],
  ] as const)("%j → %s", (value, rule, schema) => {
    expect(ruleOf(schema as z.ZodType, value)).toBe(rule);
  });
});

describe("key suggestions", () => {
  it("measures edits, counting a swap of neighbours as one", () => {
    expect(editDistance("sevices", "services")).toBe(1);
    expect(editDistance("hrfe", "href")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
  });

  it("suggests only keys that are close enough", () => {
    expect(closestKey("sevices", ["services", "secrets"])).toBe("services");
    expect(closestKey("HREF", ["href", "health"])).toBe("href");
    expect(closestKey("zzz", ["href", "health"])).toBeUndefined();
    expect(closestKey("x".repeat(100), ["href"])).toBeUndefined();
    expect(closestKey("a", [])).toBeUndefined();
  });
});
