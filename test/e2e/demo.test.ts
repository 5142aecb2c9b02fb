import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { createHttpClient } from "../../src/http/client.ts";
import { waitFor } from "../helpers/processes.ts";

const repo = resolve(import.meta.dirname, "../..");

/**
 * `autopilot demo`, the README's main command, as a new user runs it: a real process in an empty
 * folder. It must converge, start the daemon, say what to open, serve the status page behind the
 * token it printed, and stop cleanly on Ctrl-C (SIGINT).
 */
describe("autopilot demo", () => {
  it("converges, prints what to open, serves the status page, and stops on Ctrl-C", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "autopilot-demo-test-"));
    const child = spawn(process.execPath, [join(repo, "bin/autopilot.js"), "demo"], {
      cwd,
      env: { ...process.env, AUTOPILOT_LOG_LEVEL: "warn", NO_COLOR: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += String(chunk);
    });
    child.stderr.on("data", (chunk) => {
      stderr += String(chunk);
    });
    try {
      await waitFor(
        async () => (stdout.includes("The demo lab is running") ? true : undefined),
        `the demo to start (stderr: ${stderr.slice(-800)})`,
        60_000,
      );
      expect(stderr).toMatch(/converged: \d+ objects created in the sandbox/);
      const url = /status page\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout)?.[1];
      const token = /daemon token: ([A-Za-z0-9]+)\)/.exec(stdout)?.[1];
      expect(url).toBeDefined();
      expect(token).toBeDefined();
      const http = createHttpClient({
        target: "demo",
        baseUrl: url as string,
        resilience: { retry: { maxAttempts: 1 } },
      });
      await waitFor(
        async () =>
          (await http.request({ method: "GET", path: "/readyz" }).catch(() => undefined))?.status === 200
            ? true
            : undefined,
        "the daemon to be ready",
        30_000,
      );
      const denied = await http.request({ method: "GET", path: "/api/status" }).catch((error) => error);
      expect(denied.status).toBe(401);
      const status = await http.request<{ services: { name: string }[] }>({
        method: "GET",
        path: "/api/status",
        headers: { authorization: `Bearer ${token}` },
      });
      expect(status.body.services.map((service) => service.name)).toEqual(
        expect.arrayContaining(["Grafana", "Wiki", "Sonarr"]),
      );
      await http.close();
      expect(existsSync(join(cwd, "autopilot-demo", "homelab.yaml"))).toBe(true);
      expect(readFileSync(join(cwd, "autopilot-demo", "homepage", "services.yaml"), "utf8")).toContain(
        "Sonarr",
      );
    } finally {
      child.kill("SIGINT");
    }
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
  }, 120_000);
});
