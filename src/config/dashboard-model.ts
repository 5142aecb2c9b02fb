import { readFileSync } from "node:fs";
import { AutopilotError } from "../errors/autopilot-error.ts";
import { dashboardFileProblem } from "./dashboard-file.ts";

/**
 * The JSON model of a dashboard file the config names (already resolved against the config's
 * directory). `validate` checks the same file; this refuses it again if it changed since.
 */
export function readDashboardModel(file: string): Record<string, unknown> {
  const problem = dashboardFileProblem(file);
  if (problem !== undefined) {
    throw new AutopilotError("config", `dashboard file ${problem}`, {
      hint: "export the dashboard from Grafana (Share → Export → Save to file) next to the config",
    });
  }
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
}
