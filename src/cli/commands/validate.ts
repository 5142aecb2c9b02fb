import type { Command } from "commander";
import { type ConfigIssue, formatIssue } from "../../config/config-issue.ts";
import { readConfigText, validateAllEnvironments } from "../../config/load.ts";
import type { CommandRunner } from "../command-runner.ts";
import { ExitCode } from "../exit-codes.ts";

/** `autopilot validate`: schema and semantic checks of the base file and every environment; no network. */
export function registerValidateCommand(program: Command, runner: CommandRunner): void {
  program
    .command("validate")
    .description("check the config file and every environment overlay, without touching the network")
    .action(
      runner.action("validate", async (context) => {
        const file = context.configPath;
        const result = validateAllEnvironments(await readConfigText(file), file);
        const ok = result.errors.length === 0;
        const c = context.output.color;
        context.output.result(
          { ok, file, environments: result.environments, errors: result.errors, warnings: result.warnings },
          () => {
            const lines: string[] = [];
            for (const issue of result.errors) lines.push(issueLine(issue, c.red("error")));
            for (const issue of result.warnings) lines.push(issueLine(issue, c.yellow("warning")));
            const scope =
              result.environments.length === 0
                ? "no environments"
                : `environments: ${result.environments.join(", ")}`;
            lines.push(
              ok
                ? `${c.green("✓")} ${file} is valid (${scope})${result.warnings.length ? `, ${result.warnings.length} warning(s)` : ""}`
                : `${c.red("✗")} ${file}: ${result.errors.length} error(s), ${result.warnings.length} warning(s)`,
            );
            return lines.join("\n");
          },
        );
        return ok ? ExitCode.ok : ExitCode.error;
      }),
    );
}

function issueLine(issue: ConfigIssue, label: string): string {
  const where = issue.environment ? ` (environment ${issue.environment})` : "";
  return `${label}: ${formatIssue(issue)}${where}`;
}
