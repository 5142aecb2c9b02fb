import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type RunningDaemon, startDaemon } from "../../src/daemon/daemon.ts";
import { createHttpClient } from "../../src/http/client.ts";
import { type AuthentikSimulator, startAuthentikSimulator } from "../../src/sandbox/authentik/server.ts";
import { parseJsonBody, type SimServer, startSimServer } from "../../src/sandbox/common/sim-server.ts";
import { type GrafanaSimulator, startGrafanaSimulator } from "../../src/sandbox/grafana/server.ts";
import { redactor } from "../../src/secrets/redactor.ts";
import { runCli } from "../helpers/cli.ts";
import { quietContext } from "../helpers/command-context.ts";
import { labDir } from "../helpers/lab-dir.ts";
import { freePort, waitFor } from "../helpers/processes.ts";

/**
 * One target down: the others still converge, apply exits 3 naming the target, the daemon shows
 * the open circuit breaker on /metrics and raises an alert, and resolves it when the target is back.
 */
describe("degradation: one target down", () => {
  let authentik: AuthentikSimulator;
  let grafana: GrafanaSimulator;
  let receiver: SimServer;
  let received: { key: string; status: string }[];
  let daemon: RunningDaemon | undefined;
  let lab: ReturnType<typeof labDir>;
  let env: NodeJS.ProcessEnv;
  let port: number;

  beforeEach(async () => {
    authentik = await startAuthentikSimulator();
    grafana = await startGrafanaSimulator();
    received = [];
    receiver = await startSimServer({
      name: "hook",
      handler: (request) => {
        const body = parseJsonBody(request) as { key: string; status: string };
        received.push({ key: body.key, status: body.status });
        return { status: 200, body: {} };
      },
    });
    port = await freePort();
    lab = labDir({
      targets: {
        authentik: {
          url: authentik.url,
          token: "${env:AK_TOKEN}",
          http: { timeout: "500ms", maxAttempts: 5, breakerCooldown: "2s" },
        },
        grafana: { url: grafana.url, token: "${env:GF_TOKEN}" },
      },
      services: [{ name: "Wiki", group: "Docs", href: "https://wiki.lab.example.com", sso: "oidc" }],
      monitoring: { folders: [{ title: "Storage", uid: "storage" }] },
      daemon: { listen: `127.0.0.1:${port}`, token: "${env:DAEMON_TOKEN}", reconcileInterval: "1s" },
      alerts: [{ name: "hook", type: "webhook", url: `${receiver.url}/hook` }],
    });
    env = {
      ...lab.env,
      AK_TOKEN: authentik.token,
      GF_TOKEN: grafana.token,
      DAEMON_TOKEN: "degradation-daemon-token-01",
    };
    await runCli(["secrets", "init"], { cwd: lab.dir, env });
  });
  afterEach(async () => {
    await daemon?.stop();
    daemon = undefined;
    await Promise.all([authentik.close(), grafana.close(), receiver.close()]);
    redactor.clear();
  });

  it("apply converges Grafana and exits 3 naming Authentik", async () => {
    authentik.server.faults.set({ down: true });
    const apply = await runCli(["apply", "--yes"], { cwd: lab.dir, env });
    expect(apply.code).toBe(3);
    expect(apply.stdout + apply.stderr).toContain("authentik is unavailable");
    expect(grafana.state.org(1).folders.size).toBeGreaterThan(0);
    authentik.server.faults.set({});
    expect((await runCli(["apply", "--yes"], { cwd: lab.dir, env })).code).toBe(0);
  });

  it("the daemon opens the breaker, shows it on /metrics, alerts, and recovers", async () => {
    authentik.server.faults.set({ down: true });
    daemon = await startDaemon(quietContext(lab.dir, env));
    const http = createHttpClient({
      target: "daemon",
      baseUrl: daemon.url,
      headers: () => ({ authorization: `Bearer ${env.DAEMON_TOKEN}` }),
    });
    const metrics = async () => String((await http.request({ method: "GET", path: "/metrics" })).body);
    await waitFor(
      async () =>
        received.some((r) => r.key === "target-down:authentik" && r.status === "firing") ? true : undefined,
      "the target-down alert",
      30_000,
    );
    await waitFor(
      async () =>
        (await metrics()).includes('autopilot_circuit_breaker_state{target="authentik"} 2')
          ? true
          : undefined,
      "the open breaker on /metrics",
      30_000,
    );
    const ready = await http.request({ method: "GET", path: "/readyz" }).catch((error) => error);
    expect(ready.status).toBe(503);
    expect(grafana.state.org(1).folders.size).toBeGreaterThan(0);

    authentik.server.faults.set({});
    await waitFor(
      async () =>
        received.some((r) => r.key === "target-down:authentik" && r.status === "resolved") ? true : undefined,
      "the alert to resolve",
      60_000,
    );
    await waitFor(
      async () => (authentik.state.applications.find((app) => app.slug === "wiki") ? true : undefined),
      "Authentik to converge",
      30_000,
    );
    await http.close();
  }, 120_000);
});
