import type { ActionResult } from "../engine/execute.ts";
import type { PlannedAction } from "../engine/plan.ts";
import {
  applyPlan,
  converged,
  type PreparedPlan,
  preparePlan,
  type ReconcileContext,
} from "../engine/reconcile.ts";
import { logger } from "../observability/logger.ts";
import { counter, gauge, histogram } from "../observability/metrics.ts";

const reconcileSeconds = histogram(
  "reconcile_duration_seconds",
  "One daemon reconcile pass, observe to last write",
  ["outcome"],
);
const reconcilesTotal = counter("reconciles_total", "Daemon reconcile passes, by outcome", ["outcome"]);
const driftGauge = gauge("drift_objects", "Objects currently drifted from the last applied state", []);

export interface PassResult {
  at: string;
  durationMs: number;
  outcome: "converged" | "partial" | "failed";
  changes: number;
  drift: PlannedAction[];
  unavailable: Map<string, Error>;
  results: ActionResult[];
  error?: string;
}

/**
 * One reconcile pass: plan, then apply the config's changes — and the drift too when
 * `remediate` is on (otherwise drift is reported, not repaired). Level-based: it reads the
 * current state itself, so it does not matter which event (or how many) asked for it.
 */
export async function reconcilePass(
  context: ReconcileContext,
  options: { remediate: boolean; signal?: AbortSignal; dryRun?: boolean },
): Promise<PassResult> {
  const started = performance.now();
  const at = new Date().toISOString();
  try {
    const prepared: PreparedPlan = await preparePlan(context);
    const { plan } = prepared;
    const drift = plan.actions.filter((action) => action.drift);
    driftGauge.set(drift.length);
    const wanted = plan.actions.filter(
      (action) => action.type !== "noop" && (options.remediate || !action.drift),
    );
    let results: ActionResult[] = [];
    if (!options.dryRun && wanted.length > 0) {
      results = await applyPlan(context, prepared, {
        only: new Set(wanted.map((action) => action.id)),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    }
    const ok = converged(results, plan);
    const outcome = ok ? "converged" : "partial";
    const durationMs = Math.round(performance.now() - started);
    reconcileSeconds.observe({ outcome }, durationMs / 1000);
    reconcilesTotal.inc({ outcome });
    return {
      at,
      durationMs,
      outcome,
      changes: results.filter((result) => result.status === "succeeded").length,
      drift,
      unavailable: new Map(plan.unavailable),
      results,
    };
  } catch (error) {
    const durationMs = Math.round(performance.now() - started);
    reconcileSeconds.observe({ outcome: "failed" }, durationMs / 1000);
    reconcilesTotal.inc({ outcome: "failed" });
    logger().error({ error: (error as Error).message }, "reconcile pass failed");
    return {
      at,
      durationMs,
      outcome: "failed",
      changes: 0,
      drift: [],
      unavailable: new Map(),
      results: [],
      error: (error as Error).message,
    };
  }
}
