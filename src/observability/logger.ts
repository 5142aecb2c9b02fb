import { createRequire } from "node:module";
import { Writable } from "node:stream";
import { type DestinationStream, type LevelWithSilent, type Logger, pino } from "pino";
import type PinoPretty from "pino-pretty";
import { redactor } from "../secrets/redactor.ts";
import { currentCorrelation } from "./context.ts";

export type { Logger };

export interface LoggerOptions {
  level?: LevelWithSilent;
  /** Human-readable lines instead of JSON; defaults to "stderr is a terminal". */
  pretty?: boolean;
  /** Where lines go; defaults to stderr. Stdout is reserved for command output. */
  destination?: NodeJS.WritableStream;
}

/**
 * JSON logs on stderr (pretty on a terminal), each line carrying the correlation ids of the
 * work that wrote it. Every line passes through the redactor just before it is written, so no
 * field, message or error stack can carry a registered secret out.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? process.stderr;
  const usePretty = options.pretty ?? Boolean((destination as { isTTY?: boolean }).isTTY);
  const stream: DestinationStream = usePretty
    ? loadPretty()({
        destination: destination as Writable,
        sync: true,
        colorize: true,
        ignore: "pid,hostname",
      })
    : (destination as DestinationStream);
  return pino(
    {
      level: options.level ?? levelFromEnv(),
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: () => ({ ...currentCorrelation() }),
      hooks: { streamWrite: (line) => redactor.redact(line) },
    },
    stream,
  );
}

/**
 * pino-pretty (30 modules) only when a person reads the logs on a terminal: a daemon logging JSON
 * to a pipe or a file would carry it in memory for its whole life. Loaded with require, which is
 * synchronous (it is CommonJS), so creating a logger stays synchronous too.
 */
function loadPretty(): typeof PinoPretty {
  return createRequire(import.meta.url)("pino-pretty") as typeof PinoPretty;
}

function levelFromEnv(): LevelWithSilent {
  const level = process.env.AUTOPILOT_LOG_LEVEL;
  const known: LevelWithSilent[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
  return known.includes(level as LevelWithSilent) ? (level as LevelWithSilent) : "info";
}

let shared: Logger | undefined;

/** The process logger; the CLI replaces it once it knows the user's options. */
export function logger(): Logger {
  shared ??= createLogger();
  return shared;
}

export function setLogger(next: Logger): void {
  shared = next;
}

/** A writable that keeps lines in memory, for tests that read the logs back. */
export function memoryDestination(): { stream: Writable; lines: () => string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, lines: () => chunks.join("").split("\n").filter(Boolean) };
}
