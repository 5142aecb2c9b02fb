import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import { diffFields, type FieldChange } from "../../../engine/field-diff.ts";
import type { ResourceKind } from "../../../engine/resource-kind.ts";
import { AutopilotError } from "../../../errors/autopilot-error.ts";
import { call, DISABLE_PROVENANCE, deleteIfExists, getIfExists } from "../api.ts";
import { durationMs } from "../prometheus-duration.ts";
import type { GrafanaSession } from "../session.ts";

/** A Grafana-managed rule in the provisioning API's shape (ProvisionedAlertRule). */
export interface AlertRuleSpec extends Record<string, unknown> {
  uid: string;
  title: string;
  folderUID: string;
  ruleGroup: string;
  condition: string;
  /** Queries and expressions; a query's `datasourceUid` is null when no Prometheus datasource exists. */
  data: Record<string, unknown>[];
  noDataState: "OK" | "NoData" | "Alerting";
  execErrState: "OK" | "Alerting" | "Error";
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  isPaused: boolean;
  /** Filled in by `prepare` with the session's organisation. */
  orgID?: number;
}

const ruleSchema = z
  .object({
    uid: z.string(),
    title: z.string(),
    folderUID: z.string(),
    ruleGroup: z.string(),
    condition: z.string(),
    data: z.array(z.record(z.string(), z.unknown())),
    noDataState: z.string(),
    execErrState: z.string(),
    for: z.string().optional(),
    labels: z.record(z.string(), z.string()).nullable().optional(),
    annotations: z.record(z.string(), z.string()).nullable().optional(),
    isPaused: z.boolean().optional(),
    provenance: z.string().optional(),
  })
  .passthrough();
export type ObservedAlertRule = z.infer<typeof ruleSchema>;

const BASE = "/api/v1/provisioning/alert-rules";
const BY_UID = `${BASE}/{uid}`;

/**
 * Alert rules, keyed by uid (Autopilot chooses it, so a lost response is found again by it).
 * Compared field by field on what the config sets: `for` as a duration (Grafana re-renders it),
 * queries as "contains what we sent" (Grafana adds defaults such as intervalMs to a model).
 */
export const alertRuleKind: ResourceKind<AlertRuleSpec, ObservedAlertRule, GrafanaSession> = {
  kind: "alert-rule",
  dependsOnKinds: ["folder", "datasource", "contact-point"],
  keyOf: (rule) => rule.uid,
  prepare(session, spec) {
    const query = spec.data.find((item) => item.datasourceUid === null);
    if (query) {
      throw new AutopilotError(
        "config",
        `alert rule "${spec.title}" needs a Prometheus datasource to query`,
        {
          hint: "set targets.prometheus, or declare a datasource of type prometheus under monitoring.datasources",
        },
      );
    }
    return { ...spec, orgID: session.orgId };
  },
  list: (session) => call(session.http, "GET", BASE, z.array(ruleSchema), "alert rule list", { route: BASE }),
  read: (session, uid) => getIfExists(session.http, rulePath(uid), ruleSchema, "alert rule", BY_UID),
  diff: (spec, rule) => alertRuleChanges(spec, rule),
  async create(session, spec) {
    return call(session.http, "POST", BASE, ruleSchema, "alert rule", {
      route: BASE,
      body: spec,
      headers: DISABLE_PROVENANCE,
    });
  },
  async update(session, spec) {
    return call(session.http, "PUT", rulePath(spec.uid), ruleSchema, "alert rule", {
      route: BY_UID,
      body: spec,
      headers: DISABLE_PROVENANCE,
    });
  },
  async delete(session, rule) {
    await deleteIfExists(session.http, rulePath(rule.uid), BY_UID, { headers: DISABLE_PROVENANCE });
  },
  output: (rule, field) => rule[field],
};

export function alertRuleChanges(spec: AlertRuleSpec, rule: ObservedAlertRule): FieldChange[] {
  const { title, folderUID, ruleGroup, condition, noDataState, execErrState, isPaused } = spec;
  const changes = diffFields(
    { title, folderUID, ruleGroup, condition, noDataState, execErrState, isPaused },
    { ...rule, isPaused: rule.isPaused ?? false },
  );
  if (durationMs(spec.for) !== durationMs(rule.for ?? ""))
    changes.push({ path: "for", before: rule.for, after: spec.for });
  for (const field of ["labels", "annotations"] as const) {
    const have = rule[field] ?? {};
    if (!isDeepStrictEqual(spec[field], have))
      changes.push({ path: field, before: have, after: spec[field] });
  }
  if (!contains(spec.data, rule.data)) changes.push({ path: "data", before: rule.data, after: spec.data });
  return changes;
}

/** True when `have` holds everything `want` says (objects may carry more keys; arrays match item by item). */
export function contains(want: unknown, have: unknown): boolean {
  if (Array.isArray(want)) {
    return (
      Array.isArray(have) && want.length === have.length && want.every((item, i) => contains(item, have[i]))
    );
  }
  if (typeof want === "object" && want !== null) {
    if (typeof have !== "object" || have === null || Array.isArray(have)) return false;
    return Object.entries(want).every(([key, item]) =>
      contains(item, (have as Record<string, unknown>)[key]),
    );
  }
  return isDeepStrictEqual(want ?? null, have ?? null);
}

function rulePath(uid: string): string {
  return `${BASE}/${encodeURIComponent(uid)}`;
}
