import { z } from "zod";
import type { LoadedConfig } from "../../config/load.ts";
import { failedCheck, type ProbeCheck, type ProbeResult, tlsCheck } from "../probe.ts";
import { versionWithin } from "../version-range.ts";
import { AUTHENTIK_API, connectAuthentik, SUPPORTED_AUTHENTIK } from "./connection.ts";

const versionSchema = z.object({ version_current: z.string() }).passthrough();

interface Resolver {
  resolve(value: string): Promise<string>;
}

/**
 * Reach: `root/config/` answers without credentials. Auth and version: `admin/version/` needs a
 * valid token (403 otherwise — Authentik never sends 401) and tells the release.
 */
export async function probeAuthentik(loaded: LoadedConfig, secrets: Resolver): Promise<ProbeResult> {
  const url = loaded.config.targets.authentik?.url ?? "";
  const checks: ProbeCheck[] = [];
  let http: Awaited<ReturnType<typeof connectAuthentik>> | undefined;
  try {
    http = await connectAuthentik(loaded, secrets);
    let reachError: unknown;
    try {
      await http.request({ method: "GET", path: `${AUTHENTIK_API}/root/config/`, anonymous: true });
      checks.push({ name: "reach", status: "ok", detail: "root/config answered" });
    } catch (error) {
      reachError = error;
      checks.push(failedCheck("reach", error));
    }
    checks.push(tlsCheck(url, reachError));
    if (reachError) return { target: "authentik", url, checks };
    try {
      const response = await http.request({ method: "GET", path: `${AUTHENTIK_API}/admin/version/` });
      const { version_current: version } = versionSchema.parse(response.body);
      checks.push({ name: "auth", status: "ok", detail: "token accepted" });
      checks.push(
        versionWithin(version, SUPPORTED_AUTHENTIK.min, SUPPORTED_AUTHENTIK.max)
          ? { name: "version", status: "ok", detail: `Authentik ${version}` }
          : {
              name: "version",
              status: "fail",
              detail: `Authentik ${version} is outside the supported range ${SUPPORTED_AUTHENTIK.min}–${SUPPORTED_AUTHENTIK.max}`,
              hint: "upgrade Authentik, or use the Autopilot release built for your Authentik version",
            },
      );
    } catch (error) {
      checks.push(failedCheck("auth", error));
    }
  } catch (error) {
    checks.push(failedCheck("auth", error));
  } finally {
    await http?.close();
  }
  return { target: "authentik", url, checks };
}
