import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { targetHttpOptions } from "./target-options.ts";

describe("targetHttpOptions", () => {
  const dir = mkdtempSync(join(tmpdir(), "target-options-"));
  const resolvePath = (path: string) => join(dir, path);

  it("reads the CA file, normalises pins, maps resilience knobs and trims the base URL", async () => {
    writeFileSync(join(dir, "ca.pem"), "-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n");
    const headers = () => ({ authorization: "Bearer x" });
    const options = await targetHttpOptions(
      "grafana",
      {
        url: "https://grafana.lab/",
        tls: { ca: "ca.pem", pin: "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" },
        http: { timeout: 1500, maxAttempts: 2, concurrency: 3, rateLimit: 2.5, breakerCooldown: 4000 },
      },
      resolvePath,
      headers,
    );
    expect(options).toEqual({
      target: "grafana",
      baseUrl: "https://grafana.lab",
      tls: {
        ca: expect.stringContaining("BEGIN CERTIFICATE"),
        pins: ["sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="],
      },
      resilience: {
        timeoutMs: 1500,
        concurrency: 3,
        rateLimit: { perSecond: 2.5, burst: 3 },
        breaker: { halfOpenAfterMs: 4000 },
        retry: { maxAttempts: 2 },
      },
      headers,
    });
  });

  it("leaves out what is not configured", async () => {
    expect(await targetHttpOptions("prometheus", { url: "http://127.0.0.1:9090" }, resolvePath)).toEqual({
      target: "prometheus",
      baseUrl: "http://127.0.0.1:9090",
    });
  });

  it("names the unreadable CA file and the setting", async () => {
    await expect(
      targetHttpOptions("authentik", { url: "https://a", tls: { ca: "missing.pem" } }, resolvePath),
    ).rejects.toThrow(/targets\.authentik\.tls\.ca: cannot read .*missing\.pem \(ENOENT\)/);
  });
});
