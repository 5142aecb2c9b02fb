import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type RunningDaemon, startDaemon } from "../../src/daemon/daemon.ts";
import { createHttpClient } from "../../src/http/client.ts";
import { type AuthentikSimulator, startAuthentikSimulator } from "../../src/sandbox/authentik/server.ts";
import { parseJsonBody, type SimServer, startSimServer } from "../../src/sandbox/common/sim-server.ts";
import { redactor } from "../../src/secrets/redactor.ts";
import { runCli } from "../helpers/cli.ts";
import { quietContext } from "../helpers/command-context.ts";
import { labDir } from "../helpers/lab-dir.ts";
import { freePort, waitFor } from "../helpers/processes.ts";

const repo = resolve(import.meta.dirname, "../..");
const DAEMON_TOKEN = "daemon-e2e-token-0123456789";

describe("autopilot run (the daemon)", () => {
  let sim: AuthentikSimulator;
  let receiver: SimServer;
  let received: { status: string; key: string }[];
  let lab: ReturnType<typeof labDir>;
  let env: NodeJS.ProcessEnv;
  let port: number;
  const daemons: RunningDaemon[] = [];

  const services = (count: number) =>
    Array.from({ length: count }, (_, i) => ({
      name: `App ${i}`,
      group: "Apps",
      href: `https://app-${i}.lab.example.com`,
      sso: "oidc",
    }));

  beforeEach(async () => {
    sim = await startAuthentikSimulator();
    received = [];
    receiver = await startSimServer({
      name: "webhook",
      handler: (request) => {
        const body = parseJsonBody(request) as { status: string; key: string };
        received.push({ status: body.status, key: body.key });
        return { status: 200, body: {} };
      },
    });
    port = await freePort();
    lab = labDir({});
    env = { ...lab.env, AK_TOKEN: sim.token, DAEMON_TOKEN };
    lab.write({
      targets: { authentik: { url: sim.url, token: "${env:AK_TOKEN}" } },
      services: services(3),
      policies: { drift: { interval: "1s", remediate: false } },
      daemon: { listen: `127.0.0.1:${port}`, token: "${env:DAEMON_TOKEN}", reconcileInterval: "1h" },
      alerts: [{ name: "hook", type: "webhook", url: `${receiver.url}/hook` }],
    });
    await runCli(["secrets", "init"], { cwd: lab.dir, env });
  });
  afterEach(async () => {
    await Promise.all(daemons.splice(0).map((daemon) => daemon.stop()));
    await receiver.close();
    await sim.close();
    redactor.clear();
  });

  const context = () => quietContext(lab.dir, env);

  it("converges at start, alerts on drift and on its resolution, and reports status behind its token", async () => {
    const daemon = await startDaemon(context());
    daemons.push(daemon);
    const http = createHttpClient({
      target: "daemon",
      baseUrl: daemon.url,
      headers: () => ({ authorization: `Bearer ${DAEMON_TOKEN}` }),
    });
    await waitFor(
      async () =>
        (await http.request({ method: "GET", path: "/readyz" }).catch(() => undefined))?.status === 200
          ? true
          : undefined,
      "the daemon to be ready",
    );
    expect(sim.state.applications.count()).toBe(3);

    const app = sim.state.applications.find((a) => a.slug === "app-1");
    if (!app) throw new Error("app-1 missing");
    app.meta_launch_url = "https://changed.example.com";
    await waitFor(
      async () => (received.some((r) => r.key === "drift:authentik/application/app-1") ? true : undefined),
      "the drift alert",
    );
    const status = (
      await http.request<{ drift: { id: string }[]; alerts: { key: string }[] }>({
        method: "GET",
        path: "/api/status",
      })
    ).body;
    expect(status.drift.map((d) => d.id)).toEqual(["authentik/application/app-1"]);
    expect(app.meta_launch_url).toBe("https://changed.example.com"); // remediate is off: reported, not repaired

    app.meta_launch_url = "https://app-1.lab.example.com";
    await waitFor(
      async () => (received.some((r) => r.status === "resolved") ? true : undefined),
      "the resolved notification",
    );
    expect(received.map((r) => r.status)).toEqual(["firing", "resolved"]);
    await http.close();
  });

  it("refuses to start a second daemon on the same state", async () => {
    daemons.push(await startDaemon(context()));
    await expect(startDaemon(context())).rejects.toThrow("another autopilot daemon is already running");
  });

  it("on SIGTERM in the middle of a reconcile, exits 0 and leaves a verifiable audit chain", async () => {
    lab.write({
      targets: { authentik: { url: sim.url, token: "${env:AK_TOKEN}", http: { concurrency: 2 } } },
      services: services(40),
      daemon: { listen: `127.0.0.1:${port}`, token: "${env:DAEMON_TOKEN}" },
    });
    sim.server.faults.set({ latencyMs: 100 });
    const child = spawn(process.execPath, [resolve(repo, "bin/autopilot.js"), "run"], {
      cwd: lab.dir,
      env: { ...process.env, ...env },
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += String(chunk);
    });
    await waitFor(
      async () => (sim.server.log.writes().length >= 5 ? true : undefined),
      "the first writes",
      30_000,
    );
    // The process the test started (same PID) now runs with the daemon's runtime settings.
    const commandLine = readFileSync(`/proc/${child.pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    expect(commandLine).toContain("--max-semi-space-size=2");
    expect(commandLine.slice(-2)).toEqual([resolve(repo, "bin/autopilot.js"), "run"]);
    const environment = readFileSync(`/proc/${child.pid}/environ`, "utf8").split("\0");
    expect(environment).toContain("MALLOC_ARENA_MAX=2");
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    expect(code, stderr).toBe(0);
    const written = sim.server.log.writes().length;
    expect(written).toBeLessThan(80); // it stopped part-way
    const verify = await runCli(["audit", "verify"], { cwd: lab.dir, env });
    expect(verify.code, verify.stdout).toBe(0);
    sim.server.faults.set({});
    const apply = await runCli(["apply", "--yes"], { cwd: lab.dir, env });
    expect(apply.code).toBe(0);
    expect(sim.state.applications.count()).toBe(40);
  }, 60_000);
});
