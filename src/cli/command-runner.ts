import type { Command } from "commander";
import { AutopilotError } from "../errors/autopilot-error.ts";
import { withCorrelation } from "../observability/context.ts";
import { createLogger, setLogger } from "../observability/logger.ts";
import type { CliIO } from "./cli-io.ts";
import { CommandContext, type GlobalOptions } from "./command-context.ts";
import { ExitCode } from "./exit-codes.ts";
import { Output } from "./output.ts";

export type CommandBody<O> = (context: CommandContext, options: O, args: string[]) => Promise<number>;

/** Output formats every command prints; `graph` also draws `dot` and `mermaid`. */
const DEFAULT_FORMATS: readonly GlobalOptions["output"][] = ["text", "json"];

/**
 * Runs one command's body with everything commands share: global options, output in the chosen
 * format, a logger on stderr, a correlation id, errors reported once (text or JSON) with exit
 * code 1, and resources closed at the end whatever happened.
 */
export class CommandRunner {
  readonly #io: CliIO;
  readonly #state: { exitCode: number };

  constructor(io: CliIO, state: { exitCode: number }) {
    this.#io = io;
    this.#state = state;
  }

  action<O>(
    name: string,
    body: CommandBody<O>,
    accepts: { formats?: readonly GlobalOptions["output"][] } = {},
  ): (...args: unknown[]) => Promise<void> {
    return async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const options = command.opts() as O;
      const globals = command.optsWithGlobals() as GlobalOptions;
      const formats = accepts.formats ?? DEFAULT_FORMATS;
      // dot and mermaid are text on stdout: the command writes the drawing as its text result.
      const output = new Output(
        globals.output === "json" ? "json" : "text",
        this.#io,
        globals.color === false ? { color: false } : {},
      );
      if (!formats.includes(globals.output)) {
        output.failure(
          new AutopilotError("invalid", `${name} does not print ${globals.output}`, {
            hint: `use -o ${formats.join(" or -o ")}`,
          }),
        );
        this.#state.exitCode = ExitCode.error;
        return;
      }
      setLogger(
        createLogger({
          destination: this.#io.stderr,
          ...(globals.logLevel ? { level: globals.logLevel as "info" } : {}),
        }),
      );
      const context = new CommandContext(this.#io, output, globals, `cli:${name}`);
      const positional = args.slice(0, -2).filter((arg): arg is string => typeof arg === "string");
      try {
        this.#state.exitCode = await withCorrelation(() => body(context, options, positional));
      } catch (error) {
        output.failure(error);
        this.#state.exitCode = ExitCode.error;
      } finally {
        await context.close();
      }
    };
  }
}
