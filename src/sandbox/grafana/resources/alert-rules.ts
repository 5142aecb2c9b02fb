import type { SimResponse } from "../../common/sim-server.ts";
import { formatDuration, parseDuration } from "../durations.ts";
import { fail, failLegacy, failPublic } from "../errors.ts";
import type { AlertRuleRecord, OrgRecord } from "../models.ts";
import {
  bodyObject,
  bool,
  type GrafanaRoute,
  json,
  provenanceFor,
  type RouteContext,
  record,
  str,
} from "../route.ts";
import { shortUid } from "../state.ts";

/**
 * /api/v1/provisioning/alert-rules (reference §8): POST 201, PUT 200, DELETE 204, a missing rule
 * is a bare 404. Missing fields are not a bind failure (the Go struct has no binding tags): the
 * service answers 400 "invalid alert rule: ...". Durations come back re-rendered ("60s" -> "1m").
 */
const BASE = "/api/v1/provisioning/alert-rules";
const READ = {
  role: "Admin",
  permission: "any of alert.provisioning:read, alert.rules.provisioning:read",
} as const;
const WRITE = {
  role: "Admin",
  permission: "any of alert.provisioning:write, alert.rules.provisioning:write",
} as const;
const NO_DATA_STATES = ["OK", "NoData", "Alerting", "KeepLast"];
const EXEC_ERR_STATES = ["OK", "Alerting", "Error", "KeepLast"];
const NOT_FOUND: SimResponse = { status: 404 };

export function alertRuleRoutes(): GrafanaRoute[] {
  return [
    {
      method: "GET",
      path: BASE,
      access: READ,
      handle: ({ org }) => json(200, [...org.alertRules.values()].sort((a, b) => a.id - b.id).map(ruleDto)),
    },
    {
      method: "GET",
      path: `${BASE}/:uid`,
      access: READ,
      handle: ({ org, params }) => {
        const rule = org.alertRules.get(params.uid as string);
        return rule ? json(200, ruleDto(rule)) : NOT_FOUND;
      },
    },
    { method: "POST", path: BASE, access: WRITE, bindsBody: true, handle: createRule },
    { method: "PUT", path: `${BASE}/:uid`, access: WRITE, bindsBody: true, handle: updateRule },
    { method: "DELETE", path: `${BASE}/:uid`, access: WRITE, handle: deleteRule },
  ];
}

export function ruleDto(rule: AlertRuleRecord): Record<string, unknown> {
  const dto: Record<string, unknown> = {
    id: rule.id,
    uid: rule.uid,
    orgID: rule.orgId,
    folderUID: rule.folderUid,
    ruleGroup: rule.ruleGroup,
    title: rule.title,
    condition: rule.condition,
    data: rule.data,
    updated: rule.updated,
    noDataState: rule.noDataState,
    execErrState: rule.execErrState,
    for: formatDuration(rule.forSeconds * 1000),
    keep_firing_for: formatDuration(rule.keepFiringForSeconds * 1000),
    isPaused: rule.isPaused,
    notification_settings: rule.notificationSettings,
    record: rule.record,
  };
  if (Object.keys(rule.annotations).length > 0) dto.annotations = rule.annotations;
  if (Object.keys(rule.labels).length > 0) dto.labels = rule.labels;
  if (rule.provenance !== "") dto.provenance = rule.provenance;
  return dto;
}

function invalid(reason: string): never {
  failLegacy(400, `invalid alert rule: ${reason}`);
}

/** model.Duration's UnmarshalJSON: a string it cannot parse fails the bind. */
function durationSeconds(value: unknown): number {
  if (value === undefined) return 0;
  const ms = typeof value === "string" ? parseDuration(value) : undefined;
  if (ms === undefined) fail({ status: 400, body: { message: "bad request data" } });
  return Math.floor(ms / 1000);
}

function stringMap(value: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record(value)).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}

/** The rule a request describes, checked the way the service and store check it. */
function ruleFrom(context: RouteContext, uid: string, id: number): AlertRuleRecord {
  const { org, state } = context;
  const body = bodyObject(context);
  const folderUid = str(body.folderUID);
  if (folderUid === "") invalid("folderUID must be set");
  if (!org.folders.has(folderUid)) invalid("folder does not exist");
  const data = Array.isArray(body.data) ? body.data : [];
  const condition = str(body.condition);
  if (condition === "") invalid("condition cannot be empty");
  if (data.length === 0) invalid("no queries or expressions are found");
  const refIds = data.map((query) => str(record(query).refId));
  if (!refIds.includes(condition)) {
    invalid(`condition ${condition} does not exist, must be one of [${[...refIds].sort().join(",")}]`);
  }
  const title = str(body.title);
  if (title === "") invalid("title is empty");
  // Guessed wordings for the remaining checks.
  if (str(body.ruleGroup) === "") invalid("rule group name cannot be empty");
  const noDataState = str(body.noDataState);
  if (!NO_DATA_STATES.includes(noDataState)) invalid(`unknown NoData state option ${noDataState}`);
  const execErrState = str(body.execErrState);
  if (!EXEC_ERR_STATES.includes(execErrState)) invalid(`unknown Error state option ${execErrState}`);
  return {
    id,
    uid,
    orgId: org.id,
    folderUid,
    ruleGroup: str(body.ruleGroup),
    title,
    condition,
    data,
    noDataState,
    execErrState,
    forSeconds: durationSeconds(body.for),
    keepFiringForSeconds: durationSeconds(body.keep_firing_for),
    annotations: stringMap(body.annotations),
    labels: stringMap(body.labels),
    isPaused: bool(body.isPaused),
    notificationSettings: body.notification_settings ?? null,
    record: body.record ?? null,
    updated: state.clock.iso(),
    provenance: provenanceFor(context.request),
  };
}

function createRule(context: RouteContext): SimResponse {
  const { org, state } = context;
  const uid = str(bodyObject(context).uid) || shortUid();
  const rule = ruleFrom(context, uid, state.nextId("alertRule"));
  if (org.alertRules.has(uid)) invalid("rule UID under the same organisation should be unique");
  org.alertRules.set(uid, rule);
  return json(201, ruleDto(rule));
}

function updateRule(context: RouteContext): SimResponse {
  const { org } = context;
  const uid = context.params.uid as string;
  const stored = existing(org, uid);
  const rule = ruleFrom(context, uid, stored.id);
  if (stored.provenance !== rule.provenance && stored.provenance !== "") {
    failLegacy(500, `cannot change provenance from '${stored.provenance}' to '${rule.provenance}'`);
  }
  org.alertRules.set(uid, rule);
  return json(200, ruleDto(rule));
}

function existing(org: OrgRecord, uid: string): AlertRuleRecord {
  return org.alertRules.get(uid) ?? fail(NOT_FOUND);
}

function deleteRule(context: RouteContext): SimResponse {
  const { org, params } = context;
  const stored = org.alertRules.get(params.uid as string);
  const provenance = provenanceFor(context.request);
  if (stored && stored.provenance !== provenance && stored.provenance !== "") {
    failPublic(
      409,
      "alerting.provenanceMismatch",
      `cannot delete with provided provenance '${provenance}', needs '${stored.provenance}'`,
    );
  }
  if (stored) org.alertRules.delete(stored.uid);
  return { status: 204 };
}
