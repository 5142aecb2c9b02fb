import type { LoadedConfig } from "../../config/load.ts";
import { failedCheck, type ProbeCheck, type ProbeResult } from "../probe.ts";
import { dockerClientFor } from "./engine-connection.ts";

/** Each Docker endpoint must answer ping and tell its engine version. */
export async function probeDocker(loaded: LoadedConfig): Promise<ProbeResult[]> {
  const settings = loaded.config.targets.docker;
  if (!settings) return [];
  return Promise.all(
    settings.endpoints.map(async (endpoint) => {
      const checks: ProbeCheck[] = [];
      try {
        const docker = await dockerClientFor(endpoint, settings.tls, loaded.resolvePath);
        await docker.ping();
        checks.push({ name: "reach", status: "ok", detail: "ping answered" });
        const version = await docker.version();
        checks.push({
          name: "version",
          status: "ok",
          detail: `Docker Engine ${version.Version} (API ${version.ApiVersion})`,
        });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        checks.push({
          ...failedCheck("reach", error),
          hint:
            code === "EACCES"
              ? "add the user running Autopilot to the docker group, or use a socket proxy"
              : "check that Docker is running and the endpoint in targets.docker.endpoints is right",
        });
      }
      return { target: "docker", url: endpoint, checks };
    }),
  );
}
