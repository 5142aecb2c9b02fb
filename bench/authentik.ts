import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Service } from "../src/catalog/service.ts";
import { applyPlan, converged, preparePlan, type ReconcileContext } from "../src/engine/reconcile.ts";
import { createHttpClient } from "../src/http/client.ts";
import { AuditLog } from "../src/observability/audit/audit-log.ts";
import { authentikProvider } from "../src/providers/authentik/provider.ts";
import { startAuthentikSimulator } from "../src/sandbox/authentik/server.ts";
import { initAgeStore, openAgeStore } from "../src/secrets/age-store.ts";
import { openSqliteStateStore } from "../src/state/sqlite-state-store.ts";
import { ssoResources } from "../src/wiring/sso.ts";
import type { Benchmark } from "./suites.ts";

const SERVICES = 500;
const LATENCY_MS = 20;

function services(): Service[] {
  return Array.from({ length: SERVICES }, (_, i) => ({
    name: `Service ${i}`,
    slug: `service-${i}`,
    group: `Group ${i % 10}`,
    href: `https://service-${i}.lab.example.com`,
    sso: "oidc",
    redirectUris: [],
    dependsOn: [],
    monitor: false,
    alert: false,
    origin: "bench",
  }));
}

/**
 * lab-500 against the Authentik simulator at 20 ms per request: a cold apply (1,000 objects: an
 * OIDC provider and an application per service), a no-change plan, and — for comparison — a
 * Terraform-style refresh that reads every managed object by id, 10 at a time.
 */
export const authentikBench: Benchmark = {
  name: "authentik",
  description: `${SERVICES} OIDC services (${SERVICES * 2} objects) against the Authentik simulator at ${LATENCY_MS} ms latency`,
  async run() {
    const sim = await startAuthentikSimulator();
    const dir = mkdtempSync(join(tmpdir(), "bench-authentik-"));
    const http = createHttpClient({
      target: "authentik",
      baseUrl: sim.url,
      headers: () => ({ authorization: `Bearer ${sim.token}` }),
      resilience: { concurrency: 16, rateLimit: { perSecond: 10_000, burst: 10_000 } },
    });
    const state = await openSqliteStateStore(join(dir, "state.db"));
    const paths = { storePath: join(dir, "secrets.age"), identityPath: join(dir, "identity.txt") };
    await initAgeStore(paths);
    const store = await openAgeStore(paths);
    const context: ReconcileContext = {
      providers: [authentikProvider(http)],
      desired: ssoResources(services()),
      state,
      audit: new AuditLog(state.audit),
      actor: "bench",
      secrets: {
        get: (name) => store.get(name),
        set: (name, value) => store.set(name, value),
        setMany: (entries) => store.setMany(entries),
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
      const owned = await state.listOwned({ target: "authentik" });
      const baseline = await measure(async () => {
        let next = 0;
        await Promise.all(
          Array.from({ length: 10 }, async () => {
            while (next < owned.length) {
              const entry = owned[next++]!;
              const path =
                entry.kind === "application"
                  ? `/api/v3/core/applications/${entry.key}/`
                  : `/api/v3/providers/oauth2/${entry.externalId}/`;
              await http.request({ method: "GET", path });
            }
          }),
        );
      });
      return {
        "cold apply: wall time (s)": cold.seconds.toFixed(2),
        "cold apply: requests": String(cold.requests),
        "no-change plan: wall time (s)": plan.seconds.toFixed(2),
        "no-change plan: requests": String(plan.requests),
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
