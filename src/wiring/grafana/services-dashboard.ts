import { DashboardBuilder, MappingType, RowBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { DataqueryBuilder as PromQuery } from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder as Stat } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as TimeSeries } from "@grafana/grafana-foundation-sdk/timeseries";
import type { Service } from "../../catalog/service.ts";
import { METRIC_PREFIX } from "../../observability/metrics.ts";
import { SERVICE_UP } from "../../observability/service-up-metric.ts";
import type { PrometheusRef } from "./datasource-ref.ts";

export const SERVICES_DASHBOARD_UID = "autopilot-services";

/** The PromQL selecting one service's health (1 up, 0 down), as probed by Autopilot. */
export function serviceUpQuery(service: Pick<Service, "slug">): string {
  return `${METRIC_PREFIX}${SERVICE_UP}{service="${service.slug}"}`;
}

/**
 * The lab's services at a glance: one UP/DOWN stat per service with `monitor: true`, grouped as
 * on the Homepage, and their health over time.
 */
export function servicesDashboard(
  datasource: PrometheusRef,
  services: readonly Service[],
): Record<string, unknown> {
  const monitored = services.filter((service) => service.monitor);
  const builder = new DashboardBuilder("Lab services")
    .uid(SERVICES_DASHBOARD_UID)
    .tags(["autopilot"])
    .refresh("1m")
    .time({ from: "now-24h", to: "now" });
  const groups = [...new Set(monitored.map((service) => service.group))].sort();
  for (const group of groups) {
    builder.withRow(new RowBuilder(group));
    for (const service of monitored.filter((item) => item.group === group)) {
      builder.withPanel(
        new Stat()
          .title(service.name)
          .datasource(datasource)
          .span(4)
          .height(4)
          .noValue("no data")
          .mappings([
            {
              type: MappingType.ValueToText,
              options: {
                "0": { text: "DOWN", color: "red", index: 0 },
                "1": { text: "UP", color: "green", index: 1 },
              },
            },
          ])
          .withTarget(new PromQuery().expr(serviceUpQuery(service)).instant()),
      );
    }
  }
  builder.withRow(new RowBuilder("History")).withPanel(
    new TimeSeries()
      .title("Health over time")
      .datasource(datasource)
      .min(0)
      .max(1)
      .span(24)
      .withTarget(
        new PromQuery()
          .expr(`${METRIC_PREFIX}${SERVICE_UP}{service=~"${monitored.map((s) => s.slug).join("|")}"}`)
          .legendFormat("{{service}}"),
      ),
  );
  return JSON.parse(JSON.stringify(builder.build())) as Record<string, unknown>;
}
