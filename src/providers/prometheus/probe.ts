import { z } from "zod";
import type { LoadedConfig } from "../../config/load.ts";
import { createHttpClient } from "../../http/client.ts";
import { targetHttpOptions } from "../../http/target-options.ts";
import { failedCheck, type ProbeCheck, type ProbeResult, tlsCheck } from "../probe.ts";

const buildInfoSchema = z.object({
  status: z.literal("success"),
  data: z.object({ version: z.string() }).passthrough(),
});

/** Prometheus is read, not managed: it must answer `/-/ready` and tell its build version. */
export async function probePrometheus(loaded: LoadedConfig): Promise<ProbeResult> {
  const settings = loaded.config.targets.prometheus;
  const url = settings?.url ?? "";
  const checks: ProbeCheck[] = [];
  if (!settings) return { target: "prometheus", url, checks };
  const http = createHttpClient(await targetHttpOptions("prometheus", settings, loaded.resolvePath));
  try {
    let reachError: unknown;
    try {
      await http.request({ method: "GET", path: "/-/ready" });
      checks.push({ name: "reach", status: "ok", detail: "ready" });
    } catch (error) {
      reachError = error;
      checks.push(failedCheck("reach", error));
    }
    checks.push(tlsCheck(url, reachError));
    if (!reachError) {
      try {
        const info = buildInfoSchema.parse(
          (await http.request({ method: "GET", path: "/api/v1/status/buildinfo" })).body,
        );
        checks.push({ name: "version", status: "ok", detail: `Prometheus ${info.data.version}` });
      } catch (error) {
        checks.push({ ...failedCheck("version", error), status: "warn" });
      }
    }
  } finally {
    await http.close();
  }
  return { target: "prometheus", url, checks };
}
