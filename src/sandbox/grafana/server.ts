import { randomBytes } from "node:crypto";
import { Router } from "../common/router.ts";
import { type SimResponse, type SimServer, startSimServer } from "../common/sim-server.ts";
import type { OrgRole } from "./models.ts";
import { createGrafanaHandler } from "./request-pipeline.ts";
import { alertRuleRoutes } from "./resources/alert-rules.ts";
import { alertingRoutes } from "./resources/alerting.ts";
import { dashboardRoutes } from "./resources/dashboards.ts";
import { datasourceRoutes } from "./resources/datasources.ts";
import { folderRoutes } from "./resources/folders.ts";
import { orgUserRoutes } from "./resources/org-user.ts";
import { searchRoutes } from "./resources/search.ts";
import {
  type IssuedToken,
  issueServiceAccountToken,
  serviceAccountTokenRoutes,
} from "./resources/service-account-tokens.ts";
import { serviceAccountRoutes } from "./resources/service-accounts.ts";
import { ssoSettingsRoutes } from "./resources/sso-settings.ts";
import { teamRoutes } from "./resources/teams.ts";
import type { GrafanaRoute } from "./route.ts";
import { GrafanaSpecValidator } from "./spec-validator.ts";
import { GrafanaState, type TitleUniqueness } from "./state.ts";

/**
 * A stateful Grafana 13 on loopback, faithful to the real server's status codes and bodies
 * (../shared/reference/grafana.md) and checked against Grafana's OpenAPI subset on every request.
 */
export interface GrafanaSimulatorOptions {
  port?: number;
  /** Serve HTTPS with this certificate and key (PEM), e.g. to test TLS trust settings. */
  tls?: { cert: string; key: string };
  /** What /api/health reports (default "13.0.1"). */
  version?: string;
  adminUser?: string;
  adminPassword?: string;
  /** "per-folder" reproduces older releases that refused duplicate titles in one folder. */
  titleUniqueness?: TitleUniqueness;
  /** The clock's base (epoch ms); state.clock.advance() moves it forward. */
  now?: () => number;
  /**
   * false reproduces a Grafana without the SSO settings API (10.x without the ssoSettingsApi
   * feature toggle): the routes are not registered, so they answer 404 "Not found".
   */
  ssoSettingsApi?: boolean;
  /**
   * Compile every spec validator before answering (the long-running sandbox does): otherwise
   * the first request of each operation pays a compile of tens of milliseconds on top of its
   * simulated latency, a delay the real server does not have.
   */
  compileSpecUpFront?: boolean;
}

export interface GrafanaSimulator {
  readonly url: string;
  /** A `glsa_` token of an Admin service account in org 1, made at start. */
  readonly token: string;
  readonly adminUser: string;
  readonly adminPassword: string;
  readonly server: SimServer;
  readonly state: GrafanaState;
  createServiceAccountToken(input?: {
    name?: string;
    role?: OrgRole;
    orgId?: number;
    secondsToLive?: number;
  }): IssuedToken;
  close(): Promise<void>;
}

/** The spec never changes at run time, so every simulator shares one validator and its compiled schemas. */
let sharedValidator: GrafanaSpecValidator | undefined;

function specValidator(): GrafanaSpecValidator {
  sharedValidator ??= new GrafanaSpecValidator();
  return sharedValidator;
}

/** The commit Grafana v13.0.0 was built from, reported by /api/health. */
const COMMIT = "e9de482b5110e6e7310a18274c53a0d7d0eee6af";

export function grafanaRoutes(options: { ssoSettingsApi?: boolean } = {}): GrafanaRoute[] {
  return [
    ...datasourceRoutes(),
    ...folderRoutes(),
    ...dashboardRoutes(),
    ...searchRoutes(),
    ...serviceAccountRoutes(),
    ...serviceAccountTokenRoutes(),
    ...teamRoutes(),
    ...alertingRoutes(),
    ...alertRuleRoutes(),
    ...(options.ssoSettingsApi === false ? [] : ssoSettingsRoutes()),
    ...orgUserRoutes(),
  ];
}

export async function startGrafanaSimulator(
  options: GrafanaSimulatorOptions = {},
): Promise<GrafanaSimulator> {
  const adminUser = options.adminUser ?? "admin";
  // Random unless given: a sandbox must not teach "admin/admin", and a guessable value would be
  // masked everywhere by the redactor once Autopilot resolves it as a secret.
  const adminPassword = options.adminPassword ?? randomBytes(18).toString("base64url");
  const state = new GrafanaState({
    adminUser,
    adminPassword,
    titleUniqueness: options.titleUniqueness ?? "none",
    ...(options.now ? { now: options.now } : {}),
  });
  const router = new Router<GrafanaRoute>();
  for (const route of grafanaRoutes(options)) router.add(route.method, route.path, route);
  const validator = specValidator();
  if (options.compileSpecUpFront) validator.compileAll();
  const server = await startSimServer({
    name: "grafana",
    ...(options.tls ? { tls: options.tls } : {}),
    ...(options.port === undefined ? {} : { port: options.port }),
    handler: createGrafanaHandler({
      state,
      validator,
      router,
      version: options.version ?? "13.0.1",
      commit: COMMIT,
    }),
    // Grafana has no API rate limit of its own: a 429 comes from a proxy in front of it.
    throttleResponse: () => ({ status: 429, body: { message: "Too Many Requests" } }),
    errorResponse: injectedError,
  });
  let counter = 0;
  const createServiceAccountToken: GrafanaSimulator["createServiceAccountToken"] = (input = {}) => {
    counter += 1;
    return issueServiceAccountToken(state, { ...input, name: input.name ?? `sandbox-${counter}` });
  };
  const { key } = issueServiceAccountToken(state, { name: "autopilot-sandbox", role: "Admin" });
  return {
    url: server.url,
    token: key,
    adminUser,
    adminPassword,
    server,
    state,
    createServiceAccountToken,
    close: () => server.close(),
  };
}

/**
 * Injected 5xx: a 500 is Grafana's own bare error body; 502/503/504 come from the reverse proxy a
 * lab puts in front of Grafana, which answers with an HTML page, not JSON.
 */
function injectedError(status: number): SimResponse {
  if (status === 500) return { status, body: { message: "Internal Server Error" } };
  const reason: Record<number, string> = {
    502: "Bad Gateway",
    503: "Service Temporarily Unavailable",
    504: "Gateway Time-out",
  };
  const title = `${status} ${reason[status] ?? "Server Error"}`;
  return {
    status,
    text: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
    headers: { "content-type": "text/html" },
  };
}
