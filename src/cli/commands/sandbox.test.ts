import { spawn } from "node:child_process";
import { once } from "node:events";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { createHttpClient } from "../../http/client.ts";

const repo = resolve(import.meta.dirname, "../../..");

describe("autopilot sandbox (a real process)", () => {
  it("prints URLs and credentials as its first JSON line, serves all three simulators, and stops on SIGTERM", async () => {
    const child = spawn(process.execPath, [join(repo, "bin/autopilot.js"), "sandbox", "--json"], {
      cwd: repo,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, AUTOPILOT_LOG_LEVEL: "warn" },
    });
    try {
      const lines = createInterface({ input: child.stdout });
      const [first] = (await once(lines, "line")) as [string];
      const info = JSON.parse(first);
      expect(Object.keys(info).sort()).toEqual(["authentik", "grafana", "vault"]);
      const checks: [string, string, Record<string, string>][] = [
        ["authentik", "/api/v3/admin/version/", { authorization: `Bearer ${info.authentik.token}` }],
        ["grafana", "/api/org", { authorization: `Bearer ${info.grafana.token}` }],
        ["vault", "/v1/auth/token/lookup-self", { "x-vault-token": info.vault.token }],
      ];
      for (const [target, path, headers] of checks) {
        const http = createHttpClient({ target, baseUrl: info[target].url, headers: () => headers });
        expect((await http.request({ method: "GET", path })).status).toBe(200);
        await http.close();
      }
      child.kill("SIGTERM");
      const [code] = await once(child, "exit");
      expect(code).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("validates the example through the real bin script", async () => {
    const child = spawn(
      process.execPath,
      [join(repo, "bin/autopilot.js"), "validate", "-c", "examples/homelab.yaml"],
      { cwd: repo },
    );
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += String(chunk);
    });
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
    expect(out).toContain("is valid");
  });
});
