import { describe, expect, it } from "vitest";
// The modules that declare the metrics the dashboards read, loaded for their registrations.
import "../../daemon/healing/healer.ts";
import "../../daemon/reconcile-loop.ts";
import "../../engine/execute.ts";
import "../../http/metrics.ts";
import "../../observability/service-up-metric.ts";
import { registry } from "../../observability/metrics.ts";
import { AUTOPILOT_DASHBOARD_UID, AUTOPILOT_METRICS, autopilotDashboard } from "./autopilot-dashboard.ts";
import { prometheusRef } from "./datasource-ref.ts";
import { servicesDashboard } from "./services-dashboard.ts";

type Panel = { type: string; targets?: { expr: string }[]; datasource?: { uid?: string } };

function metricNames(model: Record<string, unknown>): string[] {
  const exprs = (model.panels as Panel[]).flatMap((panel) => (panel.targets ?? []).map((t) => t.expr));
  return [...new Set(exprs.flatMap((expr) => expr.match(/autopilot_[a-z_]+/g) ?? []))].map((name) =>
    name.replace(/_bucket$/, ""),
  );
}

describe("built-in dashboards", () => {
  it("read only metrics Autopilot really exports, by their registered names", () => {
    const overview = autopilotDashboard(prometheusRef("prom"));
    const services = servicesDashboard(prometheusRef("prom"), [
      {
        name: "NAS",
        slug: "nas",
        group: "Storage",
        sso: "none",
        redirectUris: [],
        dependsOn: [],
        monitor: true,
        alert: false,
        origin: "test",
      },
    ]);
    const names = [...metricNames(overview), ...metricNames(services)];
    expect(names.length).toBeGreaterThanOrEqual(Object.keys(AUTOPILOT_METRICS).length);
    for (const name of names) expect(registry.getSingleMetric(name), name).toBeDefined();
  });

  it("put Autopilot's reconciles, actions, requests, breakers, drift and healing on panels that query the given datasource", () => {
    const overview = autopilotDashboard(prometheusRef("prom"));
    expect(overview.uid).toBe(AUTOPILOT_DASHBOARD_UID);
    expect(metricNames(overview).sort()).toEqual(Object.values(AUTOPILOT_METRICS).sort());
    const queried = (overview.panels as Panel[]).filter((panel) => panel.type !== "row");
    expect(queried.every((panel) => panel.datasource?.uid === "prom")).toBe(true);
  });
});
