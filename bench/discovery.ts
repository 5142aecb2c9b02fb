import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { Document } from "yaml";
import { buildCatalogue } from "../src/catalog/catalogue.ts";
import { servicesFromContainers } from "../src/discovery/discover.ts";
import { listContainers } from "../src/discovery/docker-discovery.ts";
import { applyPlan, converged, preparePlan, type ReconcileContext } from "../src/engine/reconcile.ts";
import { AuditLog } from "../src/observability/audit/audit-log.ts";
import { homepageProvider } from "../src/providers/homepage/provider.ts";
import { upsertServiceEntry } from "../src/providers/homepage/services-document.ts";
import { TO_STRING } from "../src/providers/homepage/yaml-file.ts";
import { openSqliteStateStore } from "../src/state/sqlite-state-store.ts";
import { homepageResources } from "../src/wiring/homepage.ts";
import type { Benchmark } from "./suites.ts";

const CONTAINERS = 500;
const ROUNDS = 5;
const IMAGE = process.env.AUTOPILOT_TEST_IMAGE ?? "autopilot/busybox:test";

/** Labels like a real lab's: Homepage tile and widget, Traefik router, Compose, Autopilot. */
function labelsFor(i: number, run: string): Record<string, string> {
  return {
    "homepage.group": `Group ${i % 10}`,
    "homepage.name": `Service ${i}`,
    "homepage.description": `Service number ${i}`,
    "homepage.icon": "mdi-server",
    ...(i % 3 === 0
      ? {
          "homepage.widget.type": "sonarr",
          "homepage.widget.url": `http://service-${i}:8989`,
          "homepage.widget.fields": '["wanted","queued"]',
          "autopilot.widget.key": "${secret:homepage_bench_key}",
        }
      : {}),
    "traefik.enable": "true",
    [`traefik.http.routers.s${i}.rule`]: `Host(\`service-${i}.lab.example.com\`)`,
    [`traefik.http.routers.s${i}.entrypoints`]: "websecure",
    "com.docker.compose.project": `bench${run}`,
    "com.docker.compose.service": `svc-${i}`,
    ...(i > 0 && i % 5 === 0 ? { "autopilot.depends_on": `Service ${i - 1}` } : {}),
    "autopilot.health": `https://service-${i}.lab.example.com/health`,
    "bench.discovery": run,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

/**
 * Discovery and Homepage rendering for 500 containers. The containers are real (created on the
 * Docker engine the tests use, not started: 500 sleeping processes add nothing to what is
 * measured, since discovery lists running and stopped containers alike). Measured: list + label
 * parsing + catalogue (median of 5), the pure render of services.yaml, and a cold apply and a
 * no-change plan through the engine into a temp Homepage folder.
 */
export const discoveryBench: Benchmark = {
  name: "discovery",
  description: `discovery + Homepage render for ${CONTAINERS} real containers (created, not started)`,
  async run() {
    const socketPath = (process.env.DOCKER_HOST ?? "unix:///tmp/autopilot-test-docker/docker.sock").replace(
      /^unix:\/\//,
      "",
    );
    const docker = new Docker({ socketPath });
    await docker.ping();
    const run = randomBytes(3).toString("hex");
    const created: Docker.Container[] = [];
    const dir = mkdtempSync(join(tmpdir(), "bench-discovery-"));
    try {
      const createStarted = performance.now();
      for (let start = 0; start < CONTAINERS; start += 16) {
        const batch = Array.from({ length: Math.min(16, CONTAINERS - start) }, (_, k) => start + k);
        created.push(
          ...(await Promise.all(
            batch.map((i) =>
              docker.createContainer({
                name: `bench-disc-${run}-${i}`,
                Image: IMAGE,
                Cmd: ["sleep", "3600"],
                Labels: labelsFor(i, run),
                HostConfig: { NetworkMode: "host" },
              }),
            ),
          )),
        );
      }
      const createSeconds = (performance.now() - createStarted) / 1000;

      const options = { autoCredentials: new Set<string>() };
      const endpoints = { endpoints: [`unix://${socketPath}`], resolvePath: (p: string) => p };
      const listTimes: number[] = [];
      const parseTimes: number[] = [];
      let catalogue = buildCatalogue([]);
      let listed = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const started = performance.now();
        const listing = await listContainers(endpoints);
        const listedAt = performance.now();
        const mine = listing.containers.filter((c) => c.labels["bench.discovery"] === run);
        listed = mine.length;
        catalogue = buildCatalogue(
          [],
          { ...servicesFromContainers(mine, options), failures: listing.failures },
          options,
        );
        listTimes.push(listedAt - started);
        parseTimes.push(performance.now() - listedAt);
      }
      globalThis.gc?.();
      const heapAfterDiscovery = process.memoryUsage().heapUsed;
      const wiring = homepageResources(catalogue.services);
      const renderStarted = performance.now();
      const document = new Document([]);
      for (const resource of wiring.resources) {
        if (resource.ref.kind === "service") upsertServiceEntry(document, resource.spec as never);
      }
      const text = document.toString(TO_STRING);
      const renderMs = performance.now() - renderStarted;

      const configDir = join(dir, "homepage");
      mkdirSync(configDir);
      const state = await openSqliteStateStore(join(dir, "state.db"));
      const store = new Map([["homepage_bench_key", "bench-key-0123456789"]]);
      const context: ReconcileContext = {
        providers: [homepageProvider({ configDir, resolve: async () => "bench-key-0123456789" })],
        desired: wiring.resources,
        state,
        audit: new AuditLog(state.audit),
        actor: "bench",
        secrets: {
          get: async (name) => store.get(name),
          set: async (name, value) => void store.set(name, value),
        },
      };
      const applyStarted = performance.now();
      const prepared = await preparePlan(context);
      const results = await applyPlan(context, prepared, { concurrency: 16 });
      const applySeconds = (performance.now() - applyStarted) / 1000;
      if (!converged(results, prepared.plan)) throw new Error("cold apply did not converge");
      const planStarted = performance.now();
      const again = await preparePlan(context);
      const planMs = performance.now() - planStarted;
      const changes = again.plan.actions.filter((action) => action.type !== "noop").length;
      await state.close();

      return {
        "containers created (setup, not measured)": `${created.length} in ${createSeconds.toFixed(1)} s`,
        "containers discovered / services / refused": `${listed} / ${catalogue.services.length} / ${catalogue.refused.length}`,
        "discovery: Docker list call, median of 5 (ms)": median(listTimes).toFixed(1),
        "discovery: labels → catalogue, median of 5 (ms)": median(parseTimes).toFixed(1),
        "discovery: total, slowest of 5 (ms)": Math.max(
          ...listTimes.map((t, i) => t + (parseTimes[i] ?? 0)),
        ).toFixed(1),
        "heap used after discovery (MB)": `${mb(heapAfterDiscovery)}${globalThis.gc ? " (after GC)" : " (no --expose-gc)"}`,
        "render services.yaml, 500 entries (ms)": renderMs.toFixed(1),
        "services.yaml size (KB)": (Buffer.byteLength(text) / 1024).toFixed(0),
        "cold apply into Homepage folder (s)": applySeconds.toFixed(2),
        "cold apply actions": String(results.length),
        "no-change plan (ms)": planMs.toFixed(0),
        "no-change plan: changes found": String(changes),
        "services.yaml written by the apply (KB)": (
          readFileSync(join(configDir, "services.yaml")).length / 1024
        ).toFixed(0),
        "RSS after (MB)": mb(process.memoryUsage().rss),
      };
    } finally {
      for (let start = 0; start < created.length; start += 32) {
        await Promise.all(
          created.slice(start, start + 32).map((c) => c.remove({ force: true }).catch(() => undefined)),
        );
      }
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
