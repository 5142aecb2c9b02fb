import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { servicesFromConfig } from "../src/catalog/service.ts";
import { homelabSchema } from "../src/config/schema.ts";
import { applyPlan, converged, preparePlan, type ReconcileContext } from "../src/engine/reconcile.ts";
import { createHttpClient } from "../src/http/client.ts";
import { AuditLog } from "../src/observability/audit/audit-log.ts";
import { grafanaProvider } from "../src/providers/grafana/provider.ts";
import { startGrafanaSimulator } from "../src/sandbox/grafana/server.ts";
import { openSqliteStateStore } from "../src/state/sqlite-state-store.ts";
import { grafanaResources } from "../src/wiring/grafana.ts";
import type { Benchmark } from "./suites.ts";

const DATASOURCES = 100;
const DASHBOARDS = 200;
const FOLDERS = 50;
const LATENCY_MS = 20;

function dashboardModel(i: number): Record<string, unknown> {
  return {
    title: `Dashboard ${i}`,
    uid: `bench-dashboard-${i}`,
    schemaVersion: 39,
    tags: ["bench"],
    panels: Array.from({ length: 6 }, (_, p) => ({
      id: p + 1,
      type: "timeseries",
      title: `Panel ${p}`,
      datasource: { type: "prometheus", uid: `bench-ds-${i % DATASOURCES}` },
      targets: [{ refId: "A", expr: `rate(metric_${p}_total{dashboard="${i}"}[5m])` }],
      gridPos: { x: (p % 2) * 12, y: Math.floor(p / 2) * 8, w: 12, h: 8 },
    })),
  };
}

/**
 * 100 datasources, 50 folders and 200 dashboards (6 panels each) against the Grafana simulator
 * at 20 ms per request, through the real wiring: a cold apply, a no-change plan, and — for
 * comparison — a Terraform-style refresh that reads every managed object by its uid, 10 at a time.
 */
export const grafanaBench: Benchmark = {
  name: "grafana",
  description: `${DATASOURCES} datasources, ${DASHBOARDS} dashboards, ${FOLDERS} folders against the Grafana simulator at ${LATENCY_MS} ms latency`,
  async run() {
    const sim = await startGrafanaSimulator();
    const dir = mkdtempSync(join(tmpdir(), "bench-grafana-"));
    const http = createHttpClient({
      target: "grafana",
      baseUrl: sim.url,
      headers: () => ({ authorization: `Bearer ${sim.token}` }),
      resilience: { concurrency: 16, rateLimit: { perSecond: 10_000, burst: 10_000 } },
    });
    const state = await openSqliteStateStore(join(dir, "state.db"));
    const config = homelabSchema.parse({
      apiVersion: "autopilot/v1",
      domain: "lab.example.com",
      targets: { grafana: { url: sim.url, token: "${secret:grafana_token}" } },
      monitoring: {
        datasources: Array.from({ length: DATASOURCES }, (_, i) => ({
          name: `Prometheus ${i}`,
          uid: `bench-ds-${i}`,
          type: "prometheus",
          url: `http://prometheus-${i}.lab:9090`,
          jsonData: { timeInterval: "30s" },
        })),
        folders: Array.from({ length: FOLDERS }, (_, i) => ({
          title: `Folder ${i}`,
          uid: `bench-folder-${i}`,
        })),
        dashboards: Array.from({ length: DASHBOARDS }, (_, i) => ({
          file: `./dashboards/${i}.json`,
          folder: `Folder ${i % FOLDERS}`,
        })),
      },
    });
    const models = new Map(
      Array.from({ length: DASHBOARDS }, (_, i) => [`./dashboards/${i}.json`, dashboardModel(i)]),
    );
    const desired = grafanaResources(config, servicesFromConfig(config), (file) => models.get(file) ?? {});
    const secrets = new Map<string, string>();
    const context: ReconcileContext = {
      providers: [
        grafanaProvider({
          http,
          resolveSecret: async (value) => value,
          ssoEnvFile: join(dir, "grafana.env"),
        }),
      ],
      desired,
      state,
      audit: new AuditLog(state.audit),
      actor: "bench",
      secrets: {
        get: async (name) => secrets.get(name),
        set: async (name, value) => void secrets.set(name, value),
      },
    };
    try {
      sim.server.faults.set({ latencyMs: LATENCY_MS });
      const measure = async <T>(work: () => Promise<T>) => {
        sim.server.log.clear();
        const started = performance.now();
        const value = await work();
        return {
          value,
          seconds: (performance.now() - started) / 1000,
          requests: sim.server.log.all().length,
        };
      };
      const cold = await measure(async () => {
        const prepared = await preparePlan(context);
        return converged(await applyPlan(context, prepared, { concurrency: 16 }), prepared.plan);
      });
      if (!cold.value) throw new Error("the cold apply did not converge");
      const plan = await measure(() => preparePlan(context));
      const changes = plan.value.plan.actions.filter((action) => action.type !== "noop").length;
      const owned = await state.listOwned({ target: "grafana" });
      const paths: Record<string, (key: string) => string> = {
        datasource: (uid) => `/api/datasources/uid/${uid}`,
        folder: (uid) => `/api/folders/${uid}`,
        dashboard: (uid) => `/api/dashboards/uid/${uid}`,
      };
      const baseline = await measure(async () => {
        let next = 0;
        await Promise.all(
          Array.from({ length: 10 }, async () => {
            while (next < owned.length) {
              const entry = owned[next++]!;
              const path = paths[entry.kind]?.(entry.key);
              if (path) await http.request({ method: "GET", path });
            }
          }),
        );
      });
      const byPath = (prefix: string) =>
        sim.server.log.all().filter((entry) => entry.path.startsWith(prefix)).length;
      sim.server.log.clear();
      await preparePlan(context);
      return {
        "objects managed": String(owned.length),
        "cold apply: wall time (s)": cold.seconds.toFixed(2),
        "cold apply: requests": String(cold.requests),
        "no-change plan: wall time (s)": plan.seconds.toFixed(2),
        "no-change plan: requests": String(plan.requests),
        "no-change plan: dashboard model reads": String(byPath("/api/dashboards/uid/")),
        "no-change plan: changes found": String(changes),
        "per-object refresh baseline (10 parallel): wall time (s)": baseline.seconds.toFixed(2),
        "per-object refresh baseline: requests": String(baseline.requests),
        "requests saved by list-per-kind": `${(baseline.requests / plan.requests).toFixed(1)}×`,
      };
    } finally {
      await http.close();
      await state.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
