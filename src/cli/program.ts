import { Command, Option } from "commander";
import type { CliIO } from "./cli-io.ts";
import { CommandRunner } from "./command-runner.ts";
import { registerAdoptCommand } from "./commands/adopt.ts";
import { registerApplyCommand } from "./commands/apply.ts";
import { registerAuditCommands } from "./commands/audit.ts";
import { registerDemoCommand } from "./commands/demo.ts";
import { registerDiscoverCommand } from "./commands/discover.ts";
import { registerDoctorCommand } from "./commands/doctor.ts";
import { registerDriftCommand } from "./commands/drift.ts";
import { registerGraphCommand } from "./commands/graph.ts";
import { registerPlanCommand } from "./commands/plan.ts";
import { registerRunCommand } from "./commands/run.ts";
import { registerSandboxCommand } from "./commands/sandbox.ts";
import { registerSecretsCommands } from "./commands/secrets.ts";
import { registerValidateCommand } from "./commands/validate.ts";
import { VERSION } from "./version.ts";

export { VERSION } from "./version.ts";

/** The `autopilot` program: global options from the product contract, then every command. */
export function buildProgram(io: CliIO, state: { exitCode: number }): Command {
  const program = new Command("autopilot")
    .description("Keeps a homelab's Authentik, Grafana and Homepage configured, healthy and audited.")
    .version(VERSION, "-V, --version", "print the version")
    .addOption(
      new Option("-c, --config <file>", "the lab's declarative file")
        .env("AUTOPILOT_CONFIG")
        .default("./homelab.yaml"),
    )
    .addOption(
      new Option("-o, --output <format>", "text for people, json for machines (graph: also dot, mermaid)")
        .choices(["text", "json", "dot", "mermaid"])
        .default("text"),
    )
    .addOption(new Option("-e, --env <name>", "apply the named environment overlay").env("AUTOPILOT_ENV"))
    .addOption(
      new Option("--log-level <level>", "stderr log level")
        .choices(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
        .env("AUTOPILOT_LOG_LEVEL"),
    )
    .option("--no-color", "plain text output")
    .showHelpAfterError()
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });

  const runner = new CommandRunner(io, state);
  registerValidateCommand(program, runner);
  registerPlanCommand(program, runner);
  registerApplyCommand(program, runner);
  registerDriftCommand(program, runner);
  registerAdoptCommand(program, runner);
  registerDoctorCommand(program, runner);
  registerSecretsCommands(program, runner);
  registerAuditCommands(program, runner);
  registerSandboxCommand(program, runner);
  registerRunCommand(program, runner);
  registerDemoCommand(program, runner);
  registerDiscoverCommand(program, runner);
  registerGraphCommand(program, runner);

  // Subcommands inherit the error handling and output configuration of the program.
  for (const command of program.commands) configureSubcommand(command, io);
  return program;
}

function configureSubcommand(command: Command, io: CliIO): void {
  command
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  for (const child of command.commands) configureSubcommand(child, io);
}
