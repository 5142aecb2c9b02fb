import { z } from "zod";
import { duration } from "./duration-field.ts";
import { name, pluginType, queryExpression, severityName, textField, title } from "./fields.ts";
import { labelMap } from "./record-fields.ts";
import { credentialSettings } from "./secret-fields.ts";

const MATCHER = /^[a-zA-Z_][a-zA-Z0-9_]*\s*(=~|!~|!=|=)\s*[^\p{Cc}]*$/u;
const GROUP_BY = /^([a-zA-Z_][a-zA-Z0-9_]{0,127}|\.\.\.)$/;

const matcher = textField({ type: "matcher", expected: "a label matcher like severity=critical" }, [
  {
    rule: "invalid-matcher",
    test: (value) => MATCHER.test(value),
    predicate: "must be a label matcher: label=value, label!=value, label=~regex or label!~regex",
  },
]);

const groupByLabel = textField({ type: "label", expected: "a label name, or ... for all labels" }, [
  {
    rule: "invalid-label-name",
    test: (value) => GROUP_BY.test(value),
    predicate: "must be a label name or ...",
  },
]);

export const contactPointSchema = z
  .strictObject({
    name: name.describe("Contact point name, used as a receiver in the notification policy."),
    type: pluginType.describe("Integration type: email, slack, webhook, discord, telegram, pagerduty..."),
    settings: credentialSettings.describe(
      "Integration settings as Grafana documents them. Keys naming a credential (password, token, secret, apiKey...) must be secret references; other values may be references too (a webhook URL that embeds a token).",
    ),
  })
  .describe("A Grafana contact point with one integration.");

export interface NotificationRouteInput {
  receiver?: string | undefined;
  matchers?: string[] | undefined;
  groupBy?: string[] | undefined;
  continue?: boolean | undefined;
  routes?: NotificationRouteInput[] | undefined;
}

export const notificationRouteSchema: z.ZodType<NotificationRouteInput> = z
  .strictObject({
    receiver: name
      .optional()
      .describe("Contact point for alerts matching this route; the parent's when unset."),
    matchers: z.array(matcher).optional().describe("All must match for the route to apply."),
    groupBy: z.array(groupByLabel).optional().describe("Labels that group alerts into one notification."),
    continue: z.boolean().optional().describe("Keep matching sibling routes after this one matched."),
    get routes() {
      return z.array(notificationRouteSchema).optional().describe("Nested routes.");
    },
  })
  .describe("A notification route.");

export const notificationPolicySchema = z
  .strictObject({
    receiver: name.describe("Default contact point."),
    groupBy: z.array(groupByLabel).optional().describe("Labels that group alerts into one notification."),
    routes: z
      .array(notificationRouteSchema)
      .optional()
      .describe("Specific routes, first match wins unless `continue`."),
  })
  .describe("The notification policy tree.");

export const alertRuleSchema = z
  .strictObject({
    title: title(190).describe("Rule title."),
    folder: title(190).describe("Folder (title) the rule lives in."),
    group: title(190).describe("Rule group; rules in a group are evaluated together."),
    expr: queryExpression.describe("PromQL expression; the alert fires while it returns series."),
    for: duration.optional().describe("How long the condition must hold before the alert fires."),
    severity: severityName.optional().describe("Severity label, e.g. warning or critical."),
    labels: labelMap.optional().describe("Extra labels."),
    annotations: labelMap.optional().describe("Annotations such as summary and description."),
  })
  .describe("A Grafana-managed alert rule on a Prometheus query.");

export const alertingSchema = z
  .strictObject({
    contactPoints: z.array(contactPointSchema).default([]).describe("Where notifications go."),
    policy: notificationPolicySchema.optional(),
    rules: z.array(alertRuleSchema).default([]).describe("Alert rules."),
  })
  .describe("Grafana alerting: contact points, notification policy and rules.");
