import type { Command } from "commander";
import { dependencyMap } from "../../catalog/dependency-map.ts";
import { toDot, toJson, toMermaid, toText } from "../../catalog/dependency-render.ts";
import { AutopilotError } from "../../errors/autopilot-error.ts";
import type { CommandRunner } from "../command-runner.ts";
import { ExitCode } from "../exit-codes.ts";

/**
 * `autopilot graph [-o dot|mermaid|json]`: which service needs which (config depends_on,
 * autopilot.depends_on and Compose's depends_on). An arrow points from a service to what it
 * needs. A cycle is an error that names it: healing and ordering cannot honour it.
 */
export function registerGraphCommand(program: Command, runner: CommandRunner): void {
  program
    .command("graph")
    .description("the dependency map of the services (-o text, json, dot or mermaid)")
    .action(
      runner.action(
        "graph",
        async (context) => {
          const { labCatalogue } = await import("../../catalog/lab-catalogue.ts");
          const catalogue = await labCatalogue(await context.config());
          const map = dependencyMap(catalogue);
          if (map.cycles.length > 0) {
            const label = new Map(map.nodes.map((node) => [node.id, node.label]));
            const cycles = map.cycles.map((cycle) => cycle.map((id) => label.get(id) ?? id).join(" → "));
            throw new AutopilotError("invalid", `dependency cycle: ${cycles.join("; ")}`, {
              hint: "remove one of these depends_on entries (config depends_on or the autopilot.depends_on label)",
            });
          }
          const format = context.options.output;
          context.output.result(toJson(map), () =>
            format === "dot" ? toDot(map) : format === "mermaid" ? toMermaid(map) : toText(map),
          );
          return ExitCode.ok;
        },
        { formats: ["text", "json", "dot", "mermaid"] },
      ),
    );
}
