import type { RouteParams } from "../common/router.ts";
import type { SimRequest, SimResponse } from "../common/sim-server.ts";
import type { OrgRecord, OrgRole } from "./models.ts";
import type { GrafanaState } from "./state.ts";

/**
 * The contract between the simulator's request pipeline and its resource modules: a route is a
 * method, a path pattern, who may call it, and a handler from context to response.
 */
export interface Principal {
  kind: "service-account" | "user";
  /** The user id (service accounts are rows of the user table too). */
  id: number;
  login: string;
  name: string;
  email: string;
  orgId: number;
  role: OrgRole;
  isServerAdmin: boolean;
}

/** Who may call a route: an org role (with the RBAC permission named in the 403), server admin, or anyone signed in. */
export type Access =
  | { role: Exclude<OrgRole, "None">; permission: string }
  | { role: "ServerAdmin"; permission: string }
  | { role: "SignedIn" };

export interface RouteContext {
  request: SimRequest;
  params: RouteParams;
  query: URLSearchParams;
  /** The parsed JSON body, already checked against the spec; undefined for routes that take none. */
  body: unknown;
  principal: Principal;
  org: OrgRecord;
  state: GrafanaState;
}

export interface GrafanaRoute {
  method: string;
  path: string;
  access: Access;
  /** Whether the handler binds a JSON body (Grafana's web.Bind: content type and JSON checked). */
  bindsBody?: boolean;
  handle(context: RouteContext): SimResponse;
}

export function json(status: number, body: unknown): SimResponse {
  return { status, body };
}

/** Alerting provisioning: the header's presence, whatever its value, disables provenance. */
export function provenanceFor(request: SimRequest): string {
  return request.headers["x-disable-provenance"] === undefined ? "api" : "";
}

/** The body as a plain object (the spec already checked its type). */
export function bodyObject(context: RouteContext): Record<string, unknown> {
  const body = context.body;
  return typeof body === "object" && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

export function str(value: unknown, fallback = ""): string {
  return typeof value === "string" ? value : fallback;
}

export function bool(value: unknown, fallback = false): boolean {
  return typeof value === "boolean" ? value : fallback;
}

export function num(value: unknown, fallback = 0): number {
  return typeof value === "number" ? value : fallback;
}

export function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? { ...(value as Record<string, unknown>) }
    : {};
}

/** Go's strconv.ParseInt for a path segment, or undefined when it is not an integer. */
export function parseId(text: string | undefined): number | undefined {
  return text !== undefined && /^-?\d+$/.test(text) ? Number(text) : undefined;
}

/** Go's c.QueryInt: 0 when absent or not a number. */
export function queryInt(query: URLSearchParams, name: string): number {
  const value = query.get(name);
  return value !== null && /^-?\d+$/.test(value) ? Number(value) : 0;
}

/** Go's c.QueryBool: strconv.ParseBool, false when absent or invalid. */
export function queryBool(query: URLSearchParams, name: string): boolean {
  return ["1", "t", "T", "true", "TRUE", "True"].includes(query.get(name) ?? "");
}
