import type { Command } from "commander";
import type { CommandRunner } from "../command-runner.ts";
import { ExitCode } from "../exit-codes.ts";
import { discoverJson, discoverText } from "../render/discover-view.ts";

/**
 * `autopilot discover`: the service catalogue — config services and every container's labels on
 * every Docker endpoint — with the source of each field. Reads only; exit 0 (refusals and
 * unreachable endpoints are reported in the output, not as a failure of the command).
 */
export function registerDiscoverCommand(program: Command, runner: CommandRunner): void {
  program
    .command("discover")
    .description("show the services found (config and container labels) and where each field came from")
    .action(
      runner.action("discover", async (context) => {
        const { labCatalogue } = await import("../../catalog/lab-catalogue.ts");
        const catalogue = await labCatalogue(await context.config());
        context.output.result(discoverJson(catalogue), () => discoverText(catalogue, context.output.color));
        return ExitCode.ok;
      }),
    );
}
