import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { PassThrough, Writable } from "node:stream";
import { stringify } from "yaml";
import { main } from "../src/cli/main.ts";
import { loopbackPort } from "../src/demo/ports.ts";
import { createHttpClient } from "../src/http/client.ts";
import type { HttpClient } from "../src/http/types.ts";
import { openSqliteStateStore } from "../src/state/sqlite-state-store.ts";
import type { Benchmark } from "./suites.ts";

const SERVICES = 500;
const LATENCY_MS = 20;
const repo = resolve(import.meta.dirname, "..");

interface SandboxInfo {
  authentik: { url: string; token: string };
  grafana: { url: string; token: string; adminUser: string; adminPassword: string };
}

/** The simulators in their own process, so their CPU is not counted as Autopilot's. */
async function startSandboxProcess(): Promise<{ child: ChildProcess; info: SandboxInfo }> {
  const child = spawn(process.execPath, [join(repo, "bin/autopilot.js"), "sandbox", "--json"], {
    stdio: ["ignore", "pipe", "ignore"],
    env: { ...process.env, AUTOPILOT_LOG_LEVEL: "error" },
  });
  const [line] = (await once(createInterface({ input: child.stdout as NodeJS.ReadableStream }), "line")) as [
    string,
  ];
  return { child, info: JSON.parse(line) as SandboxInfo };
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill("SIGTERM");
  await once(child, "exit");
}

function labConfig(info: SandboxInfo, dir: string, daemonPort: number, services = SERVICES) {
  return {
    apiVersion: "autopilot/v1",
    domain: "lab.example.com",
    secrets: { identity: "./identity.txt" },
    targets: {
      authentik: { url: info.authentik.url, token: "${env:AK_TOKEN}", http: { concurrency: 16 } },
      grafana: {
        url: info.grafana.url,
        token: "${env:GF_TOKEN}",
        basicAuth: { username: info.grafana.adminUser, password: "${env:GF_ADMIN}" },
        http: { concurrency: 16 },
      },
      homepage: { configDir: join(dir, "homepage") },
      // Only named (for the datasource the "down" rules query); nothing here talks to it.
      prometheus: { url: "http://127.0.0.1:9090" },
    },
    services: Array.from({ length: services }, (_, i) => ({
      name: `Service ${i}`,
      group: `Group ${i % 20}`,
      href: `https://service-${i}.lab.example.com`,
      sso: i % 5 === 4 ? "proxy" : "oidc",
      monitor: true,
      alert: true,
    })),
    identity: {
      groups: Array.from({ length: 100 }, (_, i) => ({ name: `team-${i}` })),
      users: Array.from({ length: 300 }, (_, i) => ({
        username: `user${i}`,
        name: `User ${i}`,
        groups: [`team-${i % 100}`],
      })),
    },
    daemon: { listen: `127.0.0.1:${daemonPort}`, token: "${env:DAEMON_TOKEN}" },
  };
}

async function cli(
  args: string[],
  dir: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string }> {
  let stdout = "";
  const out = new Writable({
    write: (chunk, _e, done) => {
      stdout += String(chunk);
      done();
    },
  });
  const err = new Writable({ write: (_c, _e, done) => done() });
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  stdin.end();
  const code = await main(["node", "autopilot", ...args], {
    stdout: out,
    stderr: err,
    stdin,
    env: { ...env, AUTOPILOT_LOG_LEVEL: "error" },
    cwd: dir,
  });
  return { code, stdout };
}

async function requestCount(clients: HttpClient[]): Promise<number> {
  let total = 0;
  for (const client of clients)
    total += ((await client.request<unknown[]>({ method: "GET", path: "/__sandbox/requests" })).body ?? [])
      .length;
  return total;
}

async function clearRequests(clients: HttpClient[]): Promise<void> {
  for (const client of clients) await client.request({ method: "DELETE", path: "/__sandbox/requests" });
}

async function setLatency(clients: HttpClient[], faults: Record<string, unknown>): Promise<void> {
  for (const client of clients)
    await client.request({ method: "POST", path: "/__sandbox/faults", body: faults });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** RSS (MB) and CPU seconds of a process, from /proc. */
function processUsage(pid: number): { rssMb: number; cpuSeconds: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  const ticks = Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  return { rssMb: rssKb / 1024, cpuSeconds: ticks / 100 };
}

/**
 * lab-500: 500 services (400 OIDC, 100 forward-auth), each monitored with a Homepage tile and a
 * Grafana "down" rule, plus 100 groups and 300 users — about 2,500 objects across Authentik,
 * Grafana and Homepage, with 20 ms added to every simulator request. The simulators run in their
 * own process.
 */
export const lab500Bench: Benchmark = {
  name: "lab-500",
  description: "500 services ≈ 2,500 objects across Authentik, Grafana and Homepage at 20 ms per request",
  async run() {
    const rows: Record<string, string> = {};
    const dir = mkdtempSync(join(tmpdir(), "bench-lab500-"));
    const daemonPort = await loopbackPort(18300);
    let sandbox = await startSandboxProcess();
    const clientsFor = (info: SandboxInfo) => [
      createHttpClient({ target: "bench-authentik", baseUrl: info.authentik.url }),
      createHttpClient({ target: "bench-grafana", baseUrl: info.grafana.url }),
    ];
    let admin = clientsFor(sandbox.info);
    try {
      const envFor = (info: SandboxInfo): NodeJS.ProcessEnv => ({
        AK_TOKEN: info.authentik.token,
        GF_TOKEN: info.grafana.token,
        GF_ADMIN: info.grafana.adminPassword,
        DAEMON_TOKEN: "bench-daemon-token-0123456789",
      });
      let env = envFor(sandbox.info);
      mkdirSync(join(dir, "homepage"));
      writeFileSync(join(dir, "homelab.yaml"), stringify(labConfig(sandbox.info, dir, daemonPort)));
      await cli(["secrets", "init"], dir, env);
      await setLatency(admin, { latencyMs: LATENCY_MS });

      // Cold apply.
      await clearRequests(admin);
      let started = performance.now();
      const cold = await cli(["apply", "--yes", "-o", "json", "--parallelism", "16"], dir, env);
      const coldSeconds = (performance.now() - started) / 1000;
      const coldResult = JSON.parse(cold.stdout) as {
        converged: boolean;
        results: { status: string }[];
        plan: { actions: { dependsOn: string[]; id: string }[] };
      };
      if (!coldResult.converged) {
        const failed = (coldResult.plan.actions as { action?: string; reason?: string; id: string }[])
          .filter((a) => a.action === "invalid")
          .slice(0, 3);
        throw new Error(`cold apply did not converge: ${JSON.stringify(failed)}`);
      }
      const objects = coldResult.results.filter((result) => result.status === "succeeded").length;
      const coldRequests = await requestCount(admin);
      rows["objects created"] = String(objects);
      rows["cold apply: wall time (s)"] = coldSeconds.toFixed(2);
      rows["cold apply: requests"] = String(coldRequests);

      // Critical-path bound: the longest dependency chain, or the busiest target's writes
      // spread over its 16 connections, whichever is longer, at 20 ms per request.
      const depth = dependencyDepth(coldResult.plan.actions);
      const perTarget = new Map<string, number>();
      for (const action of coldResult.plan.actions) {
        const target = action.id.split("/")[0] ?? "";
        if (target !== "homepage") perTarget.set(target, (perTarget.get(target) ?? 0) + 1);
      }
      const busiest = Math.max(...perTarget.values());
      const boundSeconds = (Math.max(depth, Math.ceil(busiest / 16)) * LATENCY_MS) / 1000;
      rows["critical-path bound (s)"] =
        `${boundSeconds.toFixed(2)} (depth ${depth}, busiest target ${busiest} writes / 16)`;
      rows["cold apply / bound"] = `${(coldSeconds / boundSeconds).toFixed(2)}×`;

      // No-change plan.
      await clearRequests(admin);
      started = performance.now();
      const plan = await cli(["plan", "--detailed-exitcode", "-o", "json"], dir, env);
      const planSeconds = (performance.now() - started) / 1000;
      const planRequests = await requestCount(admin);
      rows["no-change plan: wall time (s)"] = planSeconds.toFixed(2);
      rows["no-change plan: requests"] = String(planRequests);
      rows["no-change plan: exit code (0 = no changes)"] = String(plan.code);

      // Per-object refresh baseline (Terraform-style): one GET per managed object, 10 at a time.
      const state = await openSqliteStateStore(join(dir, ".autopilot/state.db"));
      const owned = await state.listOwned();
      await state.close();
      const [authentik, grafana] = [
        createHttpClient({
          target: "baseline-authentik",
          baseUrl: sandbox.info.authentik.url,
          headers: () => ({ authorization: `Bearer ${env.AK_TOKEN}` }),
          resilience: { concurrency: 10 },
        }),
        createHttpClient({
          target: "baseline-grafana",
          baseUrl: sandbox.info.grafana.url,
          headers: () => ({ authorization: `Bearer ${env.GF_TOKEN}` }),
          resilience: { concurrency: 10 },
        }),
      ];
      const paths = owned.flatMap((entry) => {
        const id = entry.externalId ?? entry.key;
        const byKind: Record<string, [HttpClient, string] | undefined> = {
          "authentik/application": [authentik, `/api/v3/core/applications/${entry.key}/`],
          "authentik/oauth2-provider": [authentik, `/api/v3/providers/oauth2/${id}/`],
          "authentik/proxy-provider": [authentik, `/api/v3/providers/proxy/${id}/`],
          "authentik/group": [authentik, `/api/v3/core/groups/${id}/`],
          "authentik/user": [authentik, `/api/v3/core/users/${id}/`],
          "authentik/outpost-binding": [
            authentik,
            "/api/v3/outposts/instances/?managed__iexact=goauthentik.io/outposts/embedded",
          ],
          "grafana/alert-rule": [grafana, `/api/v1/provisioning/alert-rules/${entry.key}`],
          "grafana/dashboard": [grafana, `/api/dashboards/uid/${entry.key}`],
        };
        const found = byKind[`${entry.target}/${entry.kind}`];
        return found ? [found] : [];
      });
      await clearRequests(admin);
      started = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          while (next < paths.length) {
            const [client, path] = paths[next++] as [HttpClient, string];
            await client.request({ method: "GET", path }).catch(() => undefined);
          }
        }),
      );
      const baselineSeconds = (performance.now() - started) / 1000;
      const baselineRequests = await requestCount(admin);
      await authentik.close();
      await grafana.close();
      rows["per-object refresh baseline: wall time (s)"] = baselineSeconds.toFixed(2);
      rows["per-object refresh baseline: requests"] = String(baselineRequests);
      rows["no-change plan: requests saved vs baseline"] = `${(baselineRequests / planRequests).toFixed(1)}×`;

      // Daemon at lab-500: RSS and idle CPU once converged.
      const daemon = spawn(process.execPath, [join(repo, "bin/autopilot.js"), "run"], {
        cwd: dir,
        env: { ...process.env, ...env, AUTOPILOT_LOG_LEVEL: "error" },
        stdio: "ignore",
      });
      try {
        await new Promise((r) => setTimeout(r, 15_000)); // start-up pass (no changes) and settle
        const before = processUsage(daemon.pid as number);
        await new Promise((r) => setTimeout(r, 30_000));
        const after = processUsage(daemon.pid as number);
        rows["daemon RSS at lab-500, idle (MB)"] = after.rssMb.toFixed(0);
        rows["daemon idle CPU over 30 s (% of one core)"] = (
          ((after.cpuSeconds - before.cpuSeconds) / 30) *
          100
        ).toFixed(1);
      } finally {
        await stopProcess(daemon);
      }

      // Sequential baseline: a fresh sandbox, one change at a time per target.
      await stopProcess(sandbox.child);
      for (const client of admin) await client.close();
      sandbox = await startSandboxProcess();
      admin = clientsFor(sandbox.info);
      env = envFor(sandbox.info);
      rmSync(join(dir, ".autopilot"), { recursive: true, force: true });
      rmSync(join(dir, "homepage"), { recursive: true, force: true });
      mkdirSync(join(dir, "homepage"));
      writeFileSync(join(dir, "homelab.yaml"), stringify(labConfig(sandbox.info, dir, daemonPort)));
      await setLatency(admin, { latencyMs: LATENCY_MS });
      started = performance.now();
      const sequential = await cli(["apply", "--yes", "-o", "json", "--parallelism", "1"], dir, env);
      const sequentialSeconds = (performance.now() - started) / 1000;
      rows["sequential baseline (parallelism 1): wall time (s)"] =
        `${sequentialSeconds.toFixed(2)}${JSON.parse(sequential.stdout).converged ? "" : " (did not converge)"}`;
      rows["cold apply speed-up vs sequential"] = `${(sequentialSeconds / coldSeconds).toFixed(1)}×`;

      // 200 concurrent operations with 10 % injected faults.
      const faultsDir = mkdtempSync(join(tmpdir(), "bench-faults-"));
      writeFileSync(
        join(faultsDir, "homelab.yaml"),
        stringify({
          apiVersion: "autopilot/v1",
          domain: "lab.example.com",
          secrets: { identity: "./identity.txt" },
          targets: {
            authentik: {
              url: sandbox.info.authentik.url,
              token: "${env:AK_TOKEN}",
              http: { concurrency: 64, maxAttempts: 4 },
            },
          },
          identity: { groups: Array.from({ length: 200 }, (_, i) => ({ name: `fault-group-${i}` })) },
        }),
      );
      await cli(["secrets", "init"], faultsDir, env);
      await setLatency(admin, {
        latencyMs: LATENCY_MS,
        lostResponseRate: 0.04,
        errorRate: 0.03,
        errorStatus: 502,
        resetRate: 0.03,
      });
      const faulted = JSON.parse(
        (await cli(["apply", "--yes", "-o", "json", "--parallelism", "200"], faultsDir, env)).stdout,
      ) as {
        results: { status: string; ms: number }[];
      };
      await setLatency(admin, {});
      const groups: { name: string }[] = [];
      for (let page = 1; page > 0; ) {
        const body = (
          await admin[0]!.request<{ pagination: { next: number }; results: { name: string }[] }>({
            method: "GET",
            path: "/api/v3/core/groups/",
            query: { page, page_size: 100 },
            headers: { authorization: `Bearer ${env.AK_TOKEN}` },
          })
        ).body;
        groups.push(...body.results);
        page = body.pagination.next;
      }
      const ours = groups.filter((group) => group.name.startsWith("fault-group-")).map((group) => group.name);
      const latencies = faulted.results.map((result) => result.ms).sort((a, b) => a - b);
      const succeeded = faulted.results.filter((r) => r.status === "succeeded").length;
      rows["200 concurrent ops, 10% faults: succeeded / reported failed"] =
        `${succeeded} / ${200 - succeeded}`;
      // Lost: reported done but absent. A failure apply reports is not lost: the next run retries it.
      rows["200 concurrent ops: lost (reported done, but missing)"] = String(
        Math.max(0, succeeded - new Set(ours).size),
      );
      rows["200 concurrent ops: duplicated"] = String(ours.length - new Set(ours).size);
      rows["200 concurrent ops: latency p50 / p99 (ms)"] =
        `${percentile(latencies, 50).toFixed(0)} / ${percentile(latencies, 99).toFixed(0)}`;
      rmSync(faultsDir, { recursive: true, force: true });
      return rows;
    } finally {
      for (const client of admin) await client.close();
      await stopProcess(sandbox.child);
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

function dependencyDepth(actions: { id: string; dependsOn: string[] }[]): number {
  const byId = new Map(actions.map((action) => [action.id, action]));
  const memo = new Map<string, number>();
  const depth = (id: string, seen: Set<string>): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0;
    seen.add(id);
    const deps = (byId.get(id)?.dependsOn ?? []).filter(
      (dep) => byId.has(dep) && !dep.startsWith("homepage/"),
    );
    const value = 1 + Math.max(0, ...deps.map((dep) => depth(dep, seen)));
    memo.set(id, value);
    return value;
  };
  return Math.max(
    0,
    ...actions.filter((a) => !a.id.startsWith("homepage/")).map((action) => depth(action.id, new Set())),
  );
}
