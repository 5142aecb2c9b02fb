import { CommanderError } from "commander";
import { type CliIO, processIO } from "./cli-io.ts";
import { ExitCode } from "./exit-codes.ts";
import { Output } from "./output.ts";
import { buildProgram } from "./program.ts";

/**
 * Runs the `autopilot` command line and returns the exit code (the caller sets it; nothing
 * here calls process.exit, so commands can finish writing and flushing first).
 */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const state = { exitCode: ExitCode.ok as number };
  const program = buildProgram(io, state);
  try {
    await program.parseAsync(argv);
    return state.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors with 1 (after help).
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.error;
    }
    new Output("text", io).failure(error);
    return ExitCode.error;
  }
}
