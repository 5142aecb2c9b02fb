import type { SimResponse } from "../../common/sim-server.ts";
import { failLegacy, failPublic } from "../errors.ts";
import type { ContactPointRecord } from "../models.ts";
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
import { defaultPolicyRoute, shortUid } from "../state.ts";
import { integrationProblem, redactedSettings, splitSecrets } from "./contact-point-secrets.ts";

/**
 * Alerting provisioning: contact points and the notification policy tree (reference §8).
 * Writes stamp provenance "api" unless X-Disable-Provenance is present; provenance is omitted
 * from JSON when none ("" in Go with omitempty).
 */
const BASE = "/api/v1/provisioning";
const READ = {
  role: "Admin",
  permission: "any of alert.provisioning:read, alert.provisioning.secrets:read",
} as const;
const WRITE = { role: "Admin", permission: "alert.provisioning:write" } as const;

export function alertingRoutes(): GrafanaRoute[] {
  return [
    {
      method: "GET",
      path: `${BASE}/contact-points`,
      access: READ,
      handle: ({ org, query }) => {
        const name = query.get("name");
        const points = org.contactPoints
          .filter((point) => !name || point.name === name)
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        return json(200, points.map(contactPointDto));
      },
    },
    {
      method: "POST",
      path: `${BASE}/contact-points`,
      access: WRITE,
      bindsBody: true,
      handle: createContactPoint,
    },
    {
      method: "PUT",
      path: `${BASE}/contact-points/:uid`,
      access: WRITE,
      bindsBody: true,
      handle: updateContactPoint,
    },
    { method: "DELETE", path: `${BASE}/contact-points/:uid`, access: WRITE, handle: deleteContactPoint },
    {
      method: "GET",
      path: `${BASE}/policies`,
      access: READ,
      handle: ({ org }) => json(200, withProvenance(org.policy.route, org.policy.provenance)),
    },
    { method: "PUT", path: `${BASE}/policies`, access: WRITE, bindsBody: true, handle: updatePolicies },
    { method: "DELETE", path: `${BASE}/policies`, access: WRITE, handle: resetPolicies },
  ];
}

function withProvenance(object: Record<string, unknown>, provenance: string): Record<string, unknown> {
  return provenance === "" ? { ...object } : { ...object, provenance };
}

function contactPointDto(point: ContactPointRecord): Record<string, unknown> {
  return withProvenance(
    {
      uid: point.uid,
      name: point.name,
      type: point.type,
      settings: redactedSettings(point.settings, point.secureSettings),
      disableResolveMessage: point.disableResolveMessage,
    },
    point.provenance,
  );
}

function validated(context: RouteContext, uid: string, stored?: ContactPointRecord): ContactPointRecord {
  const body = bodyObject(context);
  const type = str(body.type);
  const name = str(body.name);
  const { settings, secureSettings } = splitSecrets(type, record(body.settings), stored?.secureSettings);
  const problem = integrationProblem(type, settings, secureSettings);
  if (problem) {
    failLegacy(
      400,
      `invalid object specification: failed to validate integration "${name}" (UID ${uid}) of type "${type}": ${problem}`,
    );
  }
  return {
    uid,
    name,
    type,
    settings,
    secureSettings,
    disableResolveMessage: bool(body.disableResolveMessage),
    provenance: provenanceFor(context.request),
  };
}

function createContactPoint(context: RouteContext): SimResponse {
  const { org } = context;
  const requestedUid = str(bodyObject(context).uid);
  const point = validated(context, requestedUid || shortUid());
  const clash = org.contactPoints.find((p) => p.uid === point.uid);
  if (clash) {
    // ErrResp(500) around the errutil conflict: the status is 500, the text its log message.
    failLegacy(
      500,
      `Receiver configuration with UID '${clash.uid}' already exists in contact point '${clash.name}'. Please use unique identifiers for receivers across all contact points.`,
    );
  }
  org.contactPoints.push(point);
  return json(202, contactPointDto(point));
}

function updateContactPoint(context: RouteContext): SimResponse {
  const { org } = context;
  const uid = context.params.uid as string;
  const stored = org.contactPoints.find((p) => p.uid === uid);
  if (!stored) failLegacy(404, `object not found: contact point with uid '${uid}' not found`);
  const point = validated(context, uid, stored);
  if (stored.provenance !== point.provenance && stored.provenance !== "") {
    failLegacy(500, `cannot change provenance from '${stored.provenance}' to '${point.provenance}'`);
  }
  const renamed = stored.name !== point.name;
  const oldNameStillUsed = org.contactPoints.some((p) => p !== stored && p.name === stored.name);
  if (renamed && !oldNameStillUsed) renameReceiver(org.policy.route, stored.name, point.name);
  org.contactPoints[org.contactPoints.indexOf(stored)] = point;
  return json(202, { message: "contactpoint updated" });
}

function deleteContactPoint({ org, params }: RouteContext): SimResponse {
  const point = org.contactPoints.find((p) => p.uid === params.uid);
  if (point) {
    const lastOfName = !org.contactPoints.some((p) => p !== point && p.name === point.name);
    if (lastOfName && receiversOf(org.policy.route).has(point.name)) {
      failPublic(
        409,
        "alerting.notifications.contact-points.referenced",
        "Contact point is currently referenced by a notification policy.",
      );
    }
    const usedByRule = [...org.alertRules.values()].some(
      (rule) => record(rule.notificationSettings).receiver === point.name,
    );
    if (lastOfName && usedByRule) {
      failPublic(
        409,
        "alerting.notifications.contact-points.used-by-rule",
        "Contact point is currently used in the notification settings of one or many alert rules.",
      );
    }
    org.contactPoints.splice(org.contactPoints.indexOf(point), 1);
  }
  // An unknown uid is not an error: the delete is idempotent.
  return json(202, { message: "contactpoint deleted" });
}

function childRoutes(route: Record<string, unknown>): Record<string, unknown>[] {
  return Array.isArray(route.routes) ? route.routes.map(record) : [];
}

function receiversOf(route: Record<string, unknown>, found = new Set<string>()): Set<string> {
  if (typeof route.receiver === "string" && route.receiver !== "") found.add(route.receiver);
  for (const child of childRoutes(route)) receiversOf(child, found);
  return found;
}

function renameReceiver(route: Record<string, unknown>, from: string, to: string): void {
  if (route.receiver === from) route.receiver = to;
  if (Array.isArray(route.routes)) {
    route.routes = route.routes.map((child) => {
      const copy = record(child);
      renameReceiver(copy, from, to);
      return copy;
    });
  }
}

function invalidRoute(reason: string): never {
  failPublic(
    400,
    "alerting.notifications.routes.invalidFormat",
    `Invalid format of the submitted route: ${reason}. Correct the payload and try again.`,
  );
}

/** The relaxed provenance rule of the policy tree (11.3+): anything may leave "none", nothing may go back to it. */
function checkTreeProvenance(stored: string, wanted: string): void {
  if (stored !== "" && wanted === "") {
    failPublic(
      403,
      "alerting.notifications.invalidProvenance",
      `Resource with provenance status '${stored}' cannot be managed via API that handles resources with provenance status 'none'. You must use appropriate API to manage this resource`,
    );
  }
}

function updatePolicies(context: RouteContext): SimResponse {
  const { org } = context;
  const route = bodyObject(context);
  delete route.provenance;
  if (str(route.receiver) === "") invalidRoute("root route must specify a default receiver");
  checkTreeProvenance(org.policy.provenance, provenanceFor(context.request));
  const known = new Set(org.contactPoints.map((p) => p.name));
  for (const receiver of receiversOf(route)) {
    if (!known.has(receiver)) invalidRoute(`receiver '${receiver}' does not exist`);
  }
  for (const interval of timeIntervalsOf(route))
    invalidRoute(`mute time interval "${interval}" does not exist`);
  org.policy = { route, provenance: provenanceFor(context.request) };
  return json(202, { message: "policies updated" });
}

/** The simulator stores no mute timings, so any interval a route names is unknown. */
function timeIntervalsOf(route: Record<string, unknown>): string[] {
  const own = [route.mute_time_intervals, route.active_time_intervals].flatMap((list) =>
    Array.isArray(list) ? list : [],
  );
  return [...own.map(String), ...childRoutes(route).flatMap(timeIntervalsOf)];
}

function resetPolicies(context: RouteContext): SimResponse {
  checkTreeProvenance(context.org.policy.provenance, provenanceFor(context.request));
  context.org.policy = { route: defaultPolicyRoute(), provenance: "" };
  return json(202, defaultPolicyRoute());
}
