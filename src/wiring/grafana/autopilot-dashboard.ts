import { DashboardBuilder, RowBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { DataqueryBuilder as PromQuery } from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder as Stat } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as TimeSeries } from "@grafana/grafana-foundation-sdk/timeseries";
import { DRIFT_DETECTED, HEALING_ACTIONS } from "../../observability/lab-metrics.ts";
import { METRIC_PREFIX } from "../../observability/metrics.ts";
import type { PrometheusRef } from "./datasource-ref.ts";

export const AUTOPILOT_DASHBOARD_UID = "autopilot-overview";

const m = (name: string) => `${METRIC_PREFIX}${name}`;

function query(expr: string, legend: string) {
  return new PromQuery().expr(expr).legendFormat(legend);
}

/**
 * Autopilot watching itself, from its own /metrics: how long actions take and how many fail,
 * what it asks of each target and how the targets answer, circuit breakers, drift and healing.
 * Built with the Grafana Foundation SDK, so the model is valid for the Grafana it targets.
 */
export function autopilotDashboard(datasource: PrometheusRef): Record<string, unknown> {
  const timeseries = (title: string, unit: string) =>
    new TimeSeries().title(title).unit(unit).datasource(datasource);
  const dashboard = new DashboardBuilder("Autopilot")
    .uid(AUTOPILOT_DASHBOARD_UID)
    .tags(["autopilot"])
    .refresh("1m")
    .time({ from: "now-6h", to: "now" })
    .withRow(new RowBuilder("Reconcile"))
    .withPanel(
      timeseries("Action duration (p95)", "s").withTarget(
        query(
          `histogram_quantile(0.95, sum by (le, target, action) (rate(${m("engine_action_duration_seconds_bucket")}[5m])))`,
          "{{target}} {{action}}",
        ),
      ),
    )
    .withPanel(
      timeseries("Actions by outcome", "ops").withTarget(
        query(`sum by (target, outcome) (rate(${m("engine_actions_total")}[5m]))`, "{{target}} {{outcome}}"),
      ),
    )
    .withPanel(
      timeseries("Failed actions", "ops").withTarget(
        query(
          `sum by (target, kind) (rate(${m("engine_actions_total")}{outcome="failure"}[5m]))`,
          "{{target}} {{kind}}",
        ),
      ),
    )
    .withPanel(
      timeseries("Writes with an unknown outcome (re-read)", "ops").withTarget(
        query(
          `sum by (target, kind) (rate(${m("engine_unknown_outcomes_total")}[5m]))`,
          "{{target}} {{kind}}",
        ),
      ),
    )
    .withRow(new RowBuilder("Targets"))
    .withPanel(
      timeseries("Requests by status", "reqps").withTarget(
        query(`sum by (target, status) (rate(${m("http_requests_total")}[5m]))`, "{{target}} {{status}}"),
      ),
    )
    .withPanel(
      new Stat()
        .title("Circuit breakers (0 closed, 1 half-open, 2 open)")
        .datasource(datasource)
        .withTarget(query(`max by (target) (${m("circuit_breaker_state")})`, "{{target}}")),
    )
    .withRow(new RowBuilder("Drift and healing"))
    .withPanel(
      timeseries("Drift found", "short").withTarget(
        query(`sum by (target, kind) (increase(${m(DRIFT_DETECTED)}[1h]))`, "{{target}} {{kind}}"),
      ),
    )
    .withPanel(
      timeseries("Healing actions", "short").withTarget(
        query(
          `sum by (service, action, outcome) (increase(${m(HEALING_ACTIONS)}[1h]))`,
          "{{service}} {{action}} {{outcome}}",
        ),
      ),
    )
    .build();
  return JSON.parse(JSON.stringify(dashboard)) as Record<string, unknown>;
}
