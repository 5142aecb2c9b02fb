import type { Service } from "../catalog/service.ts";
import type { HomelabConfig } from "../config/schema.ts";
import type { DesiredResource } from "../engine/resource.ts";
import { serviceAccountResources, teamResources } from "./grafana/access.ts";
import { alertRuleResources, contactPointResources, policyResources } from "./grafana/alerting.ts";
import { type DashboardReader, dashboardResources } from "./grafana/dashboards.ts";
import { datasourceResources, declaredDatasource, prometheusDatasourceUid } from "./grafana/datasources.ts";
import { folderResources } from "./grafana/folders.ts";
import { grafanaSsoResources } from "./grafana/sso-settings.ts";

export type { DashboardReader };

/**
 * Everything Grafana should hold, from the config and the service catalogue. Pure: dashboard
 * files are read through `readDashboard`, which the caller provides.
 *
 * - datasources from monitoring.datasources, and "Autopilot Prometheus" for targets.prometheus;
 * - folders (nested by parent uid), an "Autopilot" folder, and a folder per title used undeclared;
 * - dashboards from JSON files, and the built-in Autopilot and lab-services dashboards;
 * - contact points, the declared parts of the notification policy, alert rules, and a "down"
 *   rule per service with `monitor` and `alert`;
 * - teams, service accounts, and a token for Homepage's Grafana widget;
 * - SSO through Authentik when Authentik is a target too (see grafana/sso-settings.ts).
 */
export function grafanaResources(
  config: HomelabConfig,
  services: readonly Service[],
  readDashboard?: DashboardReader,
): DesiredResource[] {
  if (!config.targets.grafana) return [];
  const monitoring = config.monitoring;
  const alerts = monitoring?.alerts;
  const datasources = datasourceResources(config);
  const prometheusUid = prometheusDatasourceUid(config);
  const prometheus = { uid: prometheusUid, ref: declaredDatasource(datasources, prometheusUid) };
  const folders = folderResources(config, [
    ...(monitoring?.dashboards ?? []).flatMap((dashboard) => (dashboard.folder ? [dashboard.folder] : [])),
    ...(alerts?.rules ?? []).map((rule) => rule.folder),
  ]);
  return [
    ...datasources,
    ...folders.resources,
    ...dashboardResources(config, services, folders, prometheus, readDashboard),
    ...contactPointResources(alerts),
    ...policyResources(alerts),
    ...alertRuleResources(alerts, services, { folders, prometheusUid, prometheusRef: prometheus.ref }),
    ...teamResources(config),
    ...serviceAccountResources(config, services),
    ...grafanaSsoResources(config, services),
  ];
}
