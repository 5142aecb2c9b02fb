import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import Docker from "dockerode";
import { stringify } from "yaml";
import { loopbackPort } from "../src/demo/ports.ts";
import { createHttpClient } from "../src/http/client.ts";
import type { Benchmark } from "./suites.ts";

const repo = resolve(import.meta.dirname, "..");
const SECONDS = Number(process.env.SOAK_SECONDS ?? 180);
const IMAGE = process.env.AUTOPILOT_TEST_IMAGE ?? "autopilot/busybox:test";

function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  child.kill("SIGTERM");
  const [code] = await once(child, "exit");
  return code as number | null;
}

/**
 * Soak: the daemon at lab-500 for SOAK_SECONDS (default 180) while containers start and stop
 * on the real Docker engine and Authentik goes down for 5 s every 30 s. Afterwards: memory
 * growth between the first and last third of the run, whether every breaker closed again once
 * the faults stopped, and whether the audit chain verifies.
 */
export const soakBench: Benchmark = {
  name: "soak",
  description: `daemon at lab-500 for ${SECONDS} s with container churn and a flapping Authentik`,
  async run() {
    const node = process.execPath;
    const bin = join(repo, "bin/autopilot.js");
    const sandbox = spawn(node, [bin, "sandbox", "--json"], {
      stdio: ["ignore", "pipe", "ignore"],
      env: { ...process.env, AUTOPILOT_LOG_LEVEL: "error" },
    });
    const [line] = (await once(
      createInterface({ input: sandbox.stdout as NodeJS.ReadableStream }),
      "line",
    )) as [string];
    const info = JSON.parse(line) as {
      authentik: { url: string; token: string };
      grafana: { url: string; token: string; adminPassword: string; adminUser: string };
    };
    const dir = mkdtempSync(join(tmpdir(), "soak-"));
    const socket = (process.env.DOCKER_HOST ?? "unix:///tmp/autopilot-test-docker/docker.sock").replace(
      /^unix:\/\//,
      "",
    );
    const docker = new Docker({ socketPath: socket });
    const port = await loopbackPort(18400);
    const env = {
      ...process.env,
      AK: info.authentik.token,
      GF: info.grafana.token,
      GFA: info.grafana.adminPassword,
      DT: "soak-daemon-token-0123456789",
      AUTOPILOT_LOG_LEVEL: "error",
    };
    mkdirSync(join(dir, "homepage"));
    writeFileSync(
      join(dir, "homelab.yaml"),
      stringify({
        apiVersion: "autopilot/v1",
        domain: "lab.example.com",
        secrets: { identity: "./identity.txt" },
        targets: {
          authentik: {
            url: info.authentik.url,
            token: "${env:AK}",
            http: { concurrency: 16, breakerCooldown: "5s", timeout: "2s" },
          },
          grafana: {
            url: info.grafana.url,
            token: "${env:GF}",
            basicAuth: { username: info.grafana.adminUser, password: "${env:GFA}" },
            http: { concurrency: 16 },
          },
          homepage: { configDir: join(dir, "homepage") },
          docker: { endpoints: [`unix://${socket}`] },
          prometheus: { url: "http://127.0.0.1:9090" },
        },
        services: Array.from({ length: 500 }, (_, i) => ({
          name: `Service ${i}`,
          group: `Group ${i % 20}`,
          href: `https://service-${i}.lab.example.com`,
          sso: i % 5 === 4 ? "proxy" : "oidc",
          monitor: true,
          alert: true,
        })),
        policies: { drift: { interval: "10s" } },
        daemon: { listen: `127.0.0.1:${port}`, token: "${env:DT}", reconcileInterval: "5s" },
      }),
    );
    const admin = createHttpClient({ target: "soak-authentik", baseUrl: info.authentik.url });
    await admin.request({ method: "POST", path: "/__sandbox/faults", body: { latencyMs: 20 } });
    const init = spawn(node, [bin, "secrets", "init"], { cwd: dir, env, stdio: "ignore" });
    await once(init, "exit");
    const daemon = spawn(node, [bin, "run"], { cwd: dir, env, stdio: "ignore" });
    const api = createHttpClient({
      target: "soak-daemon",
      baseUrl: `http://127.0.0.1:${port}`,
      headers: () => ({ authorization: `Bearer ${env.DT}` }),
      resilience: { retry: { maxAttempts: 1 } },
    });
    const samples: number[] = [];
    const churned: Docker.Container[] = [];
    let flaps = 0;
    let churn = 0;
    try {
      const deadline = Date.now() + SECONDS * 1000;
      let tick = 0;
      while (Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 2000));
        tick += 1;
        samples.push(rssMb(daemon.pid as number));
        // Container churn: start one, stop (and remove) the oldest.
        const container = await docker.createContainer({
          name: `soak-${tick}-${Date.now()}`,
          Image: IMAGE,
          Cmd: ["sleep", "600"],
          Labels: { "homepage.group": "Soak", "homepage.name": `Churn ${tick}` },
          HostConfig: { NetworkMode: "host" },
        });
        await container.start();
        churned.push(container);
        churn += 1;
        if (churned.length > 5) await churned.shift()?.remove({ force: true });
        if (tick % 15 === 0) {
          flaps += 1;
          await admin.request({
            method: "POST",
            path: "/__sandbox/faults",
            body: { latencyMs: 20, down: 5000 },
          });
        }
      }
      await admin.request({ method: "POST", path: "/__sandbox/faults", body: {} });
      for (const container of churned.splice(0)) await container.remove({ force: true });
      // Give the breakers their cooldown and a reconcile pass, then check they all closed.
      let ready = false;
      for (let i = 0; i < 30 && !ready; i++) {
        await new Promise((r) => setTimeout(r, 2000));
        ready =
          (await api.request({ method: "GET", path: "/readyz" }).catch(() => ({ status: 503 }))).status ===
          200;
      }
      const metrics = String((await api.request({ method: "GET", path: "/metrics" })).body);
      const openBreakers = metrics
        .split("\n")
        .filter((l) => l.startsWith("autopilot_circuit_breaker_state") && !l.endsWith(" 0"));
      const third = Math.max(1, Math.floor(samples.length / 3));
      const avg = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
      const early = avg(samples.slice(0, third));
      const late = avg(samples.slice(-third));
      const exit = await stop(daemon);
      const verify = spawn(node, [bin, "audit", "verify"], { cwd: dir, env, stdio: "ignore" });
      const [verifyCode] = await once(verify, "exit");
      return {
        "duration (s)": String(SECONDS),
        "containers started and removed": String(churn),
        "Authentik outages (5 s each)": String(flaps),
        "daemon RSS, first third avg (MB)": early.toFixed(0),
        "daemon RSS, last third avg (MB)": late.toFixed(0),
        "memory growth": `${(((late - early) / early) * 100).toFixed(1)}%`,
        "ready after faults stopped (no stuck breaker)": String(ready && openBreakers.length === 0),
        "breakers not closed at the end": String(openBreakers.length),
        "daemon exit code on SIGTERM": String(exit),
        "audit verify exit code": String(verifyCode),
      };
    } finally {
      for (const container of churned) await container.remove({ force: true }).catch(() => undefined);
      await stop(daemon);
      await api.close();
      await admin.close();
      await stop(sandbox);
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
