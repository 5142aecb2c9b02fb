import { DashboardBuilder, RowBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { DataqueryBuilder as PromQuery } from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder as Stat } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as TimeSeries } from "@grafana/grafana-foundation-sdk/timeseries";
import { METRIC_PREFIX } from "../../observability/metrics.ts";
import type { PrometheusRef } from "./datasource-ref.ts";

export const AUTOPILOT_DASHBOARD_UID = "autopilot-overview";

const m = (name: string) => `${METRIC_PREFIX}${name}`;

function query(expr: string, legend: string) {
  return new PromQuery().expr(expr).legendFormat(legend);
}

/**
 * The metrics the panels read, as their modules declare them: the engine's actions
 * (engine/execute.ts), the HTTP core's requests and breakers (http/metrics.ts), the daemon's
 * reconcile passes and drift (daemon/reconcile-loop.ts) and healing (daemon/healing/healer.ts).
 * A test checks every name against the metrics registry.
 */
export const AUTOPILOT_METRICS = {
  actionSeconds: m("engine_action_duration_seconds"),
  actions: m("engine_actions_total"),
  unknownOutcomes: m("engine_unknown_outcomes_total"),
  requests: m("http_requests_total"),
  breaker: m("circuit_breaker_state"),
  reconcileSeconds: m("reconcile_duration_seconds"),
  reconciles: m("reconciles_total"),
  drift: m("drift_objects"),
  healing: m("healing_actions_total"),
} as const;

/**
 * Autopilot watching itself, from its own /metrics: reconcile passes and how long they take,
 * actions and failures per target, what each target answers, circuit breakers, drift and healing.
 * Built with the Grafana Foundation SDK, so the model is valid for the Grafana it targets.
 */
export function autopilotDashboard(datasource: PrometheusRef): Record<string, unknown> {
  const M = AUTOPILOT_METRICS;
  const timeseries = (title: string, unit: string) =>
    new TimeSeries().title(title).unit(unit).datasource(datasource);
  const dashboard = new DashboardBuilder("Autopilot")
    .uid(AUTOPILOT_DASHBOARD_UID)
    .tags(["autopilot"])
    .refresh("1m")
    .time({ from: "now-6h", to: "now" })
    .withRow(new RowBuilder("Reconcile"))
    .withPanel(
      timeseries("Reconcile passes by outcome", "short").withTarget(
        query(`sum by (outcome) (increase(${M.reconciles}[15m]))`, "{{outcome}}"),
      ),
    )
    .withPanel(
      timeseries("Reconcile duration (p95)", "s").withTarget(
        query(`histogram_quantile(0.95, sum by (le) (rate(${M.reconcileSeconds}_bucket[15m])))`, "p95"),
      ),
    )
    .withPanel(
      timeseries("Action duration (p95)", "s").withTarget(
        query(
          `histogram_quantile(0.95, sum by (le, target, action) (rate(${M.actionSeconds}_bucket[5m])))`,
          "{{target}} {{action}}",
        ),
      ),
    )
    .withPanel(
      timeseries("Failed actions", "ops").withTarget(
        query(`sum by (target, kind) (rate(${M.actions}{outcome="failure"}[5m]))`, "{{target}} {{kind}}"),
      ),
    )
    .withPanel(
      timeseries("Actions by outcome", "ops").withTarget(
        query(`sum by (target, outcome) (rate(${M.actions}[5m]))`, "{{target}} {{outcome}}"),
      ),
    )
    .withPanel(
      timeseries("Writes with an unknown outcome (re-read)", "ops").withTarget(
        query(`sum by (target, kind) (rate(${M.unknownOutcomes}[5m]))`, "{{target}} {{kind}}"),
      ),
    )
    .withRow(new RowBuilder("Targets"))
    .withPanel(
      timeseries("Requests by status", "reqps").withTarget(
        query(`sum by (target, status) (rate(${M.requests}[5m]))`, "{{target}} {{status}}"),
      ),
    )
    .withPanel(
      new Stat()
        .title("Circuit breakers (0 closed, 1 half-open, 2 open)")
        .datasource(datasource)
        .withTarget(query(`max by (target) (${M.breaker})`, "{{target}}")),
    )
    .withRow(new RowBuilder("Drift and healing"))
    .withPanel(timeseries("Objects drifted", "short").withTarget(query(`max(${M.drift})`, "drifted")))
    .withPanel(
      timeseries("Healing actions", "short").withTarget(
        query(`sum by (action) (increase(${M.healing}[1h]))`, "{{action}}"),
      ),
    )
    .build();
  return JSON.parse(JSON.stringify(dashboard)) as Record<string, unknown>;
}
