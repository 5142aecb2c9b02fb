import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ActionResult } from "../../engine/execute.ts";
import {
  applyPlan,
  converged,
  type PreparedPlan,
  preparePlan,
  type ReconcileContext,
} from "../../engine/reconcile.ts";
import type { DesiredResource } from "../../engine/resource.ts";
import { createHttpClient } from "../../http/client.ts";
import { AuditLog } from "../../observability/audit/audit-log.ts";
import type { FaultDecision } from "../../sandbox/common/faults.ts";
import {
  type GrafanaSimulator,
  type GrafanaSimulatorOptions,
  startGrafanaSimulator,
} from "../../sandbox/grafana/server.ts";
import { openSqliteStateStore, type SqliteStateStore } from "../../state/sqlite-state-store.ts";
import { grafanaProvider } from "./provider.ts";

/**
 * The Grafana provider against a fresh simulator, with a real state store and an in-memory
 * secret store: for kind tests that go through the engine (plan, apply, re-read) without the CLI.
 */
export interface GrafanaHarness {
  readonly sim: GrafanaSimulator;
  readonly state: SqliteStateStore;
  /** The secret store: name → value. */
  readonly secrets: Map<string, string>;
  readonly dir: string;
  context(desired: readonly DesiredResource[]): ReconcileContext;
  plan(desired: readonly DesiredResource[]): Promise<PreparedPlan>;
  /**
   * Injects `fault` into the `nth` request from now on (1 = the next one), to hit one exact
   * step — the PUT after a fresh read, say — instead of a random share of requests.
   */
  faultAt(nth: number, fault: FaultDecision): void;
  /** Applies a plan made earlier (so a test can change things between plan and apply). */
  execute(
    desired: readonly DesiredResource[],
    prepared: PreparedPlan,
  ): Promise<{ results: ActionResult[]; converged: boolean }>;
  /** Plans and applies; `converged` says whether everything succeeded. */
  apply(desired: readonly DesiredResource[]): Promise<{ results: ActionResult[]; converged: boolean }>;
  close(): Promise<void>;
}

export async function grafanaHarness(
  options: GrafanaSimulatorOptions & { admin?: boolean; secretValues?: Record<string, string> } = {},
): Promise<GrafanaHarness> {
  const sim = await startGrafanaSimulator(options);
  const dir = mkdtempSync(join(tmpdir(), "grafana-harness-"));
  const state = await openSqliteStateStore(join(dir, "state.db"));
  const secrets = new Map<string, string>();
  const fast = {
    retry: { maxAttempts: 4, initialDelayMs: 1, maxDelayMs: 5 },
    rateLimit: { perSecond: 10_000, burst: 10_000 },
  };
  const http = createHttpClient({
    target: "grafana",
    baseUrl: sim.url,
    headers: () => ({ authorization: `Bearer ${sim.token}` }),
    resilience: fast,
  });
  const basic = Buffer.from(`${sim.adminUser}:${sim.adminPassword}`).toString("base64");
  const admin =
    options.admin === false
      ? undefined
      : createHttpClient({
          target: "grafana-admin",
          baseUrl: sim.url,
          headers: () => ({ authorization: `Basic ${basic}` }),
          resilience: fast,
        });
  const provider = grafanaProvider({
    http,
    ...(admin ? { admin } : {}),
    resolveSecret: async (value) => {
      const match = /^\$\{secret:(.+)\}$/.exec(value);
      if (!match) return value;
      const found = options.secretValues?.[match[1] as string] ?? secrets.get(match[1] as string);
      if (found === undefined) throw new Error(`no secret ${match[1]}`);
      return found;
    },
    ssoEnvFile: join(dir, "grafana-generic-oauth.env"),
  });
  const context = (desired: readonly DesiredResource[]): ReconcileContext => ({
    providers: [provider],
    desired,
    state,
    audit: new AuditLog(state.audit),
    actor: "test",
    secrets: {
      get: async (name) => secrets.get(name),
      set: async (name, value) => void secrets.set(name, value),
    },
  });
  const execute = async (desired: readonly DesiredResource[], prepared: PreparedPlan) => {
    const results = await applyPlan(context(desired), prepared);
    return { results, converged: converged(results, prepared.plan) };
  };
  return {
    sim,
    state,
    secrets,
    dir,
    context,
    plan: (desired) => preparePlan(context(desired)),
    faultAt(nth, fault) {
      const faults = sim.server.faults;
      const original = faults.decide.bind(faults);
      let seen = 0;
      faults.decide = () => {
        seen += 1;
        if (seen === nth) {
          faults.decide = original;
          return fault;
        }
        return original();
      };
    },
    execute,
    async apply(desired) {
      return execute(desired, await preparePlan(context(desired)));
    },
    async close() {
      await provider.close?.();
      await state.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
