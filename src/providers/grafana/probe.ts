import { z } from "zod";
import type { LoadedConfig } from "../../config/load.ts";
import { failedCheck, type ProbeCheck, type ProbeResult, tlsCheck } from "../probe.ts";
import { versionWithin } from "../version-range.ts";
import { connectGrafana, SUPPORTED_GRAFANA } from "./connection.ts";

const healthSchema = z.object({ database: z.string(), version: z.string().optional() }).passthrough();
const orgSchema = z.object({ id: z.number(), name: z.string() }).passthrough();

interface Resolver {
  resolve(value: string): Promise<string>;
}

/**
 * Reach and version: `/api/health` needs no credentials. Auth: `/api/org` with the service
 * account token, and the SSO settings API with the admin login when one is configured.
 */
export async function probeGrafana(loaded: LoadedConfig, secrets: Resolver): Promise<ProbeResult> {
  const settings = loaded.config.targets.grafana;
  const url = settings?.url ?? "";
  const checks: ProbeCheck[] = [];
  const http = await connectGrafana(loaded, secrets);
  try {
    let version: string | undefined;
    let reachError: unknown;
    try {
      const health = healthSchema.parse(
        (await http.request({ method: "GET", path: "/api/health", anonymous: true })).body,
      );
      version = health.version;
      checks.push({
        name: "reach",
        status: health.database === "ok" ? "ok" : "warn",
        detail: `database ${health.database}`,
      });
    } catch (error) {
      reachError = error;
      checks.push(failedCheck("reach", error));
    }
    checks.push(tlsCheck(url, reachError));
    if (reachError) return { target: "grafana", url, checks };
    try {
      const org = orgSchema.parse((await http.request({ method: "GET", path: "/api/org" })).body);
      checks.push({ name: "auth", status: "ok", detail: `token accepted (org ${org.id} "${org.name}")` });
    } catch (error) {
      checks.push(failedCheck("auth", error));
    }
    if (settings?.basicAuth) checks.push(await adminCheck(loaded, secrets));
    checks.push(
      version === undefined
        ? { name: "version", status: "warn", detail: "Grafana hides its version (hide_version)" }
        : versionWithin(version, SUPPORTED_GRAFANA.min, SUPPORTED_GRAFANA.max)
          ? { name: "version", status: "ok", detail: `Grafana ${version}` }
          : {
              name: "version",
              status: "fail",
              detail: `Grafana ${version} is outside the supported range 11–13`,
              hint: "upgrade Grafana to 11 or newer",
            },
    );
  } finally {
    await http.close();
  }
  return { target: "grafana", url, checks };
}

async function adminCheck(loaded: LoadedConfig, secrets: Resolver): Promise<ProbeCheck> {
  const admin = await connectGrafana(loaded, secrets, "admin");
  try {
    await admin.request({ method: "GET", path: "/api/v1/sso-settings/generic_oauth" });
    return { name: "access", status: "ok", detail: "basicAuth login can manage SSO settings" };
  } catch (error) {
    return { ...failedCheck("access", error), status: "warn" };
  } finally {
    await admin.close();
  }
}
