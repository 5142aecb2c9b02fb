import { dirname, join } from "node:path";
import type { LoadedConfig } from "../../config/load.ts";
import { AutopilotError } from "../../errors/autopilot-error.ts";
import { createHttpClient } from "../../http/client.ts";
import { targetHttpOptions } from "../../http/target-options.ts";
import type { HttpClient } from "../../http/types.ts";

/** Grafana releases whose legacy /api routes this build speaks (see reference §0). */
export const SUPPORTED_GRAFANA = { min: "11.0", max: "13.99" } as const;

interface Resolver {
  resolve(value: string): Promise<string>;
}

/**
 * Grafana needs two identities: the service-account token for almost everything, and the
 * server admin's Basic auth for the few admin-only APIs (SSO settings), where a token gets 403.
 */
export async function connectGrafana(
  loaded: LoadedConfig,
  secrets: Resolver,
  as: "token" | "admin" = "token",
): Promise<HttpClient> {
  const settings = loaded.config.targets.grafana;
  if (!settings) throw new Error("targets.grafana is not configured");
  const basic = settings.basicAuth;
  if (as === "admin" && !basic) {
    throw new AutopilotError("config", "targets.grafana.basicAuth is needed for Grafana's admin-only APIs", {
      hint: "add basicAuth: {username: admin, password: ${secret:grafana_admin}}",
    });
  }
  const org: Record<string, string> = settings.orgId ? { "x-grafana-org-id": String(settings.orgId) } : {};
  let authorization: string | undefined;
  return createHttpClient(
    await targetHttpOptions(
      as === "admin" ? "grafana-admin" : "grafana",
      settings,
      loaded.resolvePath,
      async () => {
        if (authorization === undefined) {
          authorization =
            as === "admin" && basic
              ? `Basic ${Buffer.from(`${basic.username}:${await secrets.resolve(basic.password)}`).toString("base64")}`
              : `Bearer ${await secrets.resolve(settings.token)}`;
        }
        return { authorization, ...org };
      },
    ),
  );
}

/**
 * Where Grafana's generic OAuth settings are written as environment variables when the SSO
 * settings API is missing or refused: beside the state database.
 */
export function ssoEnvFilePath(loaded: LoadedConfig): string {
  return join(dirname(loaded.resolvePath(loaded.config.state.path)), "grafana-generic-oauth.env");
}
