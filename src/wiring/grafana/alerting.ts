import type { Service } from "../../catalog/service.ts";
import type { HomelabConfig } from "../../config/schema.ts";
import type { DesiredResource, ResourceRef } from "../../engine/resource.ts";
import type { AlertRuleSpec } from "../../providers/grafana/kinds/alert-rules.ts";
import type { ContactPointSpec } from "../../providers/grafana/kinds/contact-points.ts";
import {
  type NotificationPolicySpec,
  POLICY_KEY,
  type PolicyRoute,
} from "../../providers/grafana/kinds/notification-policy.ts";
import { formatDurationMs } from "../../providers/grafana/prometheus-duration.ts";
import { parseSecretReference } from "../../secrets/reference.ts";
import { AUTOPILOT_FOLDER_TITLE, type Folders } from "./folders.ts";
import { grafanaRef, uidFromName } from "./refs.ts";
import { serviceUpQuery } from "./services-dashboard.ts";

type Alerts = NonNullable<NonNullable<HomelabConfig["monitoring"]>["alerts"]>;
type RouteInput = NonNullable<Alerts["policy"]>["routes"] extends (infer R)[] | undefined ? R : never;

export const SERVICE_HEALTH_GROUP = "service-health";

/** monitoring.alerts.contactPoints: settings given as secret references are kept apart as write-only. */
export function contactPointResources(alerts: Alerts | undefined): DesiredResource<ContactPointSpec>[] {
  return (alerts?.contactPoints ?? []).map((point, index) => {
    const settings: Record<string, unknown> = {};
    const secureSettings: Record<string, string> = {};
    for (const [key, value] of Object.entries(point.settings)) {
      if (typeof value === "string" && parseSecretReference(value)) secureSettings[key] = value;
      else settings[key] = value;
    }
    return {
      ref: grafanaRef("contact-point", point.name),
      origin: `config monitoring.alerts.contactPoints[${index}]`,
      spec: { name: point.name, type: point.type, settings, secureSettings, disableResolveMessage: false },
    };
  });
}

/** monitoring.alerts.policy, as the parts of the shared tree Autopilot manages. */
export function policyResources(alerts: Alerts | undefined): DesiredResource<NotificationPolicySpec>[] {
  const policy = alerts?.policy;
  if (!policy) return [];
  const declared = new Set((alerts?.contactPoints ?? []).map((point) => point.name));
  const receivers = new Set<string>([policy.receiver]);
  const collect = (routes: readonly RouteInput[] | undefined) => {
    for (const route of routes ?? []) {
      if (route.receiver) receivers.add(route.receiver);
      collect(route.routes);
    }
  };
  collect(policy.routes);
  return [
    {
      ref: grafanaRef("notification-policy", POLICY_KEY),
      origin: "config monitoring.alerts.policy",
      dependsOn: [...receivers]
        .filter((name) => declared.has(name))
        .map((name) => grafanaRef("contact-point", name)),
      spec: {
        receiver: policy.receiver,
        ...(policy.groupBy ? { group_by: policy.groupBy } : {}),
        ...(policy.routes ? { routes: policy.routes.map(routeOf) } : {}),
      },
    },
  ];
}

function routeOf(route: RouteInput): PolicyRoute {
  return {
    ...(route.receiver ? { receiver: route.receiver } : {}),
    ...(route.matchers?.length ? { object_matchers: route.matchers.map(objectMatcher) } : {}),
    ...(route.groupBy?.length ? { group_by: route.groupBy } : {}),
    ...(route.continue ? { continue: true } : {}),
    ...(route.routes?.length ? { routes: route.routes.map(routeOf) } : {}),
  };
}

/** "severity=critical" → ["severity", "=", "critical"] (the config schema checked the form). */
export function objectMatcher(text: string): [string, string, string] {
  const match = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(.*)$/su.exec(text);
  if (!match) throw new Error(`not a label matcher: ${text}`);
  return [match[1] as string, match[2] as string, match[3] as string];
}

interface RuleContext {
  folders: Folders;
  prometheusUid: string | undefined;
  prometheusRef: ResourceRef | undefined;
}

/**
 * A rule that fires while a PromQL query returns series: query A (instant), and math expression
 * B that is 1 for every series A returns — Prometheus' own alerting semantics in Grafana terms.
 */
function seriesRule(
  input: {
    uid: string;
    title: string;
    folderUID: string;
    group: string;
    expr: string;
    condition?: string;
    forMs: number;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    noDataState: AlertRuleSpec["noDataState"];
  },
  prometheusUid: string | undefined,
): AlertRuleSpec {
  return {
    uid: input.uid,
    title: input.title,
    folderUID: input.folderUID,
    ruleGroup: input.group,
    condition: "B",
    data: [
      {
        refId: "A",
        queryType: "",
        datasourceUid: prometheusUid ?? null,
        relativeTimeRange: { from: 600, to: 0 },
        model: { refId: "A", expr: input.expr, instant: true, range: false },
      },
      {
        refId: "B",
        queryType: "",
        datasourceUid: "__expr__",
        relativeTimeRange: { from: 0, to: 0 },
        model: {
          refId: "B",
          type: "math",
          expression: input.condition ?? "is_number($A) || is_nan($A) || is_inf($A)",
          datasource: { type: "__expr__", uid: "__expr__" },
        },
      },
    ] as Record<string, unknown>[],
    noDataState: input.noDataState,
    execErrState: "Error",
    for: formatDurationMs(input.forMs),
    labels: input.labels,
    annotations: input.annotations,
    isPaused: false,
  };
}

/** monitoring.alerts.rules, and a "down" rule for every service with `monitor` and `alert`. */
export function alertRuleResources(
  alerts: Alerts | undefined,
  services: readonly Service[],
  context: RuleContext,
): DesiredResource<AlertRuleSpec>[] {
  const after = (folder: string) =>
    [context.folders.refOf(folder), context.prometheusRef].filter(
      (ref): ref is ResourceRef => ref !== undefined,
    );
  const resources: DesiredResource<AlertRuleSpec>[] = (alerts?.rules ?? []).map((rule, index) => {
    const uid = uidFromName(`${rule.folder} ${rule.group} ${rule.title}`, "ap-");
    return {
      ref: grafanaRef("alert-rule", uid),
      origin: `config monitoring.alerts.rules[${index}]`,
      dependsOn: after(rule.folder),
      spec: seriesRule(
        {
          uid,
          title: rule.title,
          folderUID: context.folders.uidOf(rule.folder),
          group: rule.group,
          expr: rule.expr,
          forMs: rule.for ?? 0,
          labels: { ...(rule.labels ?? {}), ...(rule.severity ? { severity: rule.severity } : {}) },
          annotations: { ...(rule.annotations ?? {}) },
          noDataState: "OK",
        },
        context.prometheusUid,
      ),
    };
  });
  for (const service of services) {
    if (!service.monitor || !service.alert) continue;
    const uid = uidFromName(service.slug, "autopilot-down-");
    resources.push({
      ref: grafanaRef("alert-rule", uid),
      origin: `service ${service.name} (${service.origin})`,
      dependsOn: after(AUTOPILOT_FOLDER_TITLE),
      spec: seriesRule(
        {
          uid,
          title: `${service.name} is down`,
          folderUID: context.folders.uidOf(AUTOPILOT_FOLDER_TITLE),
          group: SERVICE_HEALTH_GROUP,
          expr: serviceUpQuery(service),
          condition: "$A < 1",
          forMs: 120_000,
          labels: { severity: "critical", service: service.slug },
          annotations: {
            summary: `${service.name} is down`,
            description: `Autopilot's health check of ${service.health ?? service.href ?? service.name} has failed for 2 minutes.`,
          },
          // Before the daemon probes anything there is no series: not an outage.
          noDataState: "OK",
        },
        context.prometheusUid,
      ),
    });
  }
  return resources;
}
