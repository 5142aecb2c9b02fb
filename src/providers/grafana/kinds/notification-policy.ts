import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import type { FieldChange } from "../../../engine/field-diff.ts";
import type { ResourceKind } from "../../../engine/resource-kind.ts";
import { call, DISABLE_PROVENANCE } from "../api.ts";
import type { GrafanaSession } from "../session.ts";

/** A route as Autopilot writes it (Grafana's field names); absent fields are not written. */
export interface PolicyRoute {
  receiver?: string;
  object_matchers?: [string, string, string][];
  group_by?: string[];
  continue?: boolean;
  routes?: PolicyRoute[];
}

/**
 * The parts of the tree the config declares: the root receiver always, `group_by` and the
 * child routes only when the config names them.
 */
export interface NotificationPolicySpec extends Record<string, unknown> {
  receiver: string;
  group_by?: string[];
  routes?: PolicyRoute[];
}

const routeSchema = z.object({ receiver: z.string().optional() }).passthrough();
export type ObservedPolicy = z.infer<typeof routeSchema> & Record<string, unknown>;

export const POLICY_KEY = "policy";
const PATH = "/api/v1/provisioning/policies";
const ROUTE_FIELDS = ["receiver", "object_matchers", "group_by", "continue", "routes"] as const;

/**
 * The notification policy tree: one object per organisation that others edit too, so it is
 * shared, never deleted, and changed by read-modify-write of a fresh copy. Autopilot owns only
 * what the config declares — the default receiver, and `group_by` and the list of child routes
 * when given (as a whole: Grafana routes have no ids to tell ours from others'); timings, mute
 * intervals and routes of a config that declares none are left as they are.
 */
export const notificationPolicyKind: ResourceKind<NotificationPolicySpec, ObservedPolicy, GrafanaSession> = {
  kind: "notification-policy",
  ownership: "shared",
  dependsOnKinds: ["contact-point"],
  keyOf: () => POLICY_KEY,
  async list(session) {
    return [await readTree(session)];
  },
  read: (session) => readTree(session),
  diff: (spec, tree) => policyChanges(spec, tree),
  create: (session, spec) => writeTree(session, spec),
  update: (session, spec) => writeTree(session, spec),
  // Shared: the engine never deletes it, and Autopilot has no business resetting it.
  async delete() {},
  output: (tree, field) => tree[field],
};

export function policyChanges(spec: NotificationPolicySpec, tree: ObservedPolicy): FieldChange[] {
  const changes: FieldChange[] = [];
  if (spec.receiver !== tree.receiver)
    changes.push({ path: "receiver", before: tree.receiver, after: spec.receiver });
  if (spec.group_by !== undefined) {
    const have = Array.isArray(tree.group_by) ? tree.group_by : [];
    if (!isDeepStrictEqual([...spec.group_by].sort(), [...have].map(String).sort())) {
      changes.push({ path: "group_by", before: have, after: spec.group_by });
    }
  }
  if (spec.routes !== undefined) {
    const have = Array.isArray(tree.routes) ? tree.routes.map(projectRoute) : [];
    const want = spec.routes.map(projectRoute);
    if (!isDeepStrictEqual(want, have)) changes.push({ path: "routes", before: have, after: want });
  }
  return changes;
}

/** The fields Autopilot writes, with empty values dropped, so both sides compare alike. */
export function projectRoute(route: unknown): Record<string, unknown> {
  const source = (route ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of ROUTE_FIELDS) {
    const value = source[field];
    if (value === undefined || value === null || value === false || value === "") continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[field] = field === "routes" && Array.isArray(value) ? value.map(projectRoute) : value;
  }
  return out;
}

async function readTree(session: GrafanaSession): Promise<ObservedPolicy> {
  return call(session.http, "GET", PATH, routeSchema, "notification policy tree", { route: PATH });
}

async function writeTree(session: GrafanaSession, spec: NotificationPolicySpec): Promise<ObservedPolicy> {
  const { provenance: _provenance, ...fresh } = await readTree(session);
  const tree: ObservedPolicy = {
    ...fresh,
    receiver: spec.receiver,
    ...(spec.group_by === undefined ? {} : { group_by: spec.group_by }),
    ...(spec.routes === undefined ? {} : { routes: spec.routes }),
  };
  await session.http.request({
    method: "PUT",
    path: PATH,
    route: PATH,
    body: tree,
    headers: DISABLE_PROVENANCE,
  });
  return tree;
}
