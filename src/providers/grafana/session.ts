import { z } from "zod";
import { AutopilotError } from "../../errors/autopilot-error.ts";
import type { HttpClient } from "../../http/types.ts";
import { versionWithin } from "../version-range.ts";
import { call } from "./api.ts";
import { SUPPORTED_GRAFANA } from "./connection.ts";
import { DetailInterest } from "./detail-interest.ts";

/** What the provider is built with; everything with side effects is passed in. */
export interface GrafanaProviderOptions {
  /** Service-account token client: every API but the admin-only ones. */
  readonly http: HttpClient;
  /** Server-admin (Basic auth) client for the SSO settings API; the token client when absent. */
  readonly admin?: HttpClient;
  /** Resolves a secret reference (`${secret:NAME}`…) to its value; a literal comes back unchanged. */
  resolveSecret(valueOrRef: string): Promise<string>;
  /** Where the generic OAuth settings go when Grafana's SSO settings API is missing or refused. */
  readonly ssoEnvFile: string;
}

/** Everything the Grafana kinds share during one run. */
export interface GrafanaSession {
  readonly http: HttpClient;
  readonly admin: HttpClient;
  readonly version: string | undefined;
  readonly orgId: number;
  readonly interest: DetailInterest;
  readonly ssoEnvFile: string;
  resolveSecret(valueOrRef: string): Promise<string>;
}

const healthSchema = z.object({ database: z.string(), version: z.string().optional() }).passthrough();
const orgSchema = z.object({ id: z.number(), name: z.string() }).passthrough();

/**
 * Opens a session: the version from /api/health (no credentials needed), refusing a release
 * whose legacy API this build does not speak, and /api/org, which checks the token once and
 * names the organisation every object lives in — a bad token fails here, not once per kind.
 */
export async function openGrafanaSession(options: GrafanaProviderOptions): Promise<GrafanaSession> {
  const { http } = options;
  // Both go out at once, a round trip saved on every run; the health answer is read first, so
  // an unsupported release fails with its own message, never with the organisation's.
  const organisation = call(http, "GET", "/api/org", orgSchema, "organisation", { route: "/api/org" });
  organisation.catch(() => undefined); // awaited below, unless the version check fails first
  const health = await call(http, "GET", "/api/health", healthSchema, "health answer", {
    route: "/api/health",
    anonymous: true,
  });
  if (
    health.version !== undefined &&
    !versionWithin(health.version, SUPPORTED_GRAFANA.min, SUPPORTED_GRAFANA.max)
  ) {
    throw new AutopilotError(
      "invalid",
      `Grafana ${health.version} is outside the supported range ${SUPPORTED_GRAFANA.min}–${SUPPORTED_GRAFANA.max}; nothing was changed`,
      { hint: "upgrade Grafana to 11 or newer (the SSO settings API and nested folders need it)" },
    );
  }
  const org = await organisation;
  return {
    http,
    admin: options.admin ?? http,
    version: health.version,
    orgId: org.id,
    interest: new DetailInterest(),
    ssoEnvFile: options.ssoEnvFile,
    resolveSecret: (value) => options.resolveSecret(value),
  };
}
