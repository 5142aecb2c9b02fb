import type { PendingIssue } from "./config-issue.ts";
import { dashboardFileProblem } from "./dashboard-file.ts";
import type { HomelabConfig } from "./schema.ts";
import { duplicateNames, lineOf, type SemanticContext } from "./semantic-helpers.ts";

type Monitoring = NonNullable<HomelabConfig["monitoring"]>;

/** True when the monitoring section asks Grafana for anything at all. */
export function hasMonitoringContent(monitoring: Monitoring): boolean {
  const alerts = monitoring.alerts;
  return (
    monitoring.datasources.length > 0 ||
    monitoring.dashboards.length > 0 ||
    (monitoring.folders?.length ?? 0) > 0 ||
    (monitoring.teams?.length ?? 0) > 0 ||
    (monitoring.serviceAccounts?.length ?? 0) > 0 ||
    (alerts !== undefined &&
      (alerts.contactPoints.length > 0 || alerts.rules.length > 0 || alerts.policy !== undefined))
  );
}

export function checkMonitoring(monitoring: Monitoring, context: SemanticContext): PendingIssue[] {
  const list = ["monitoring", "datasources"];
  const issues: PendingIssue[] = [
    ...duplicateNames(
      context,
      list,
      monitoring.datasources,
      "name",
      "datasource name",
      (source) => source.name,
    ),
    ...duplicateNames(context, list, monitoring.datasources, "uid", "datasource uid", (source) => source.uid),
  ];

  const defaults = monitoring.datasources.flatMap((source, index) => (source.isDefault ? [index] : []));
  const [firstDefault, ...others] = defaults;
  for (const index of others) {
    issues.push({
      path: [...list, index, "isDefault"],
      rule: "multiple-defaults",
      predicate: `makes a second default datasource; the one at line ${lineOf(context, [...list, firstDefault as number, "name"])} already is`,
      hint: "at most one datasource can be the default",
    });
  }

  const contactPoints = monitoring.alerts?.contactPoints ?? [];
  issues.push(
    ...duplicateNames(
      context,
      ["monitoring", "alerts", "contactPoints"],
      contactPoints,
      "name",
      "contact point",
      (point) => point.name,
    ),
  );

  if (context.checkFiles) {
    monitoring.dashboards.forEach((dashboard, index) => {
      const problem = dashboardFileProblem(context.resolvePath(dashboard.file));
      if (problem === undefined) return;
      issues.push({
        path: ["monitoring", "dashboards", index, "file"],
        rule: "dashboard-file",
        predicate: problem,
        hint: "export the dashboard from Grafana (Share → Export → Save to file) next to the config",
      });
    });
  }
  return issues;
}
