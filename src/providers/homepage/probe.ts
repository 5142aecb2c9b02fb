import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import type { LoadedConfig } from "../../config/load.ts";
import type { ProbeCheck, ProbeResult } from "../probe.ts";

/** Homepage is a folder of YAML files: it must exist and be writable by Autopilot. */
export async function probeHomepage(loaded: LoadedConfig): Promise<ProbeResult> {
  const settings = loaded.config.targets.homepage;
  const dir = settings ? loaded.resolvePath(settings.configDir) : "";
  const checks: ProbeCheck[] = [];
  try {
    if (!(await stat(dir)).isDirectory())
      throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
    checks.push({ name: "reach", status: "ok", detail: `${dir} exists` });
    try {
      await access(dir, constants.W_OK);
      checks.push({ name: "access", status: "ok", detail: "writable" });
    } catch {
      checks.push({
        name: "access",
        status: "fail",
        detail: `${dir} is not writable`,
        hint: "give the user running Autopilot write access to Homepage's config folder",
      });
    }
  } catch (error) {
    checks.push({
      name: "reach",
      status: "fail",
      detail: `${dir}: ${(error as NodeJS.ErrnoException).code ?? "cannot read"}`,
      hint: "create the folder, or point targets.homepage.configDir at Homepage's config folder",
    });
  }
  return { target: "homepage", url: dir, checks };
}
