import pc from "picocolors";
import { AutopilotError, describeError } from "../errors/autopilot-error.ts";
import { redactor } from "../secrets/redactor.ts";

export type OutputFormat = "text" | "json";
export type Colors = ReturnType<typeof pc.createColors>;

export interface OutputStreams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * Everything a command prints goes through here. In JSON mode stdout receives exactly one JSON
 * document (indented only on a terminal) and nothing else (logs and progress go to stderr); in text mode people get colour
 * when stdout is a terminal. Both pass through the redactor, so a secret that reached a result
 * by mistake is still masked on the way out.
 */
export class Output {
  readonly format: OutputFormat;
  readonly color: Colors;
  readonly #streams: OutputStreams;
  #resultWritten = false;

  constructor(format: OutputFormat, streams: OutputStreams, options: { color?: boolean } = {}) {
    this.format = format;
    this.#streams = streams;
    const wantColor = options.color ?? (Boolean(streams.stdout.isTTY) && !process.env.NO_COLOR);
    this.color = pc.createColors(wantColor);
  }

  /** The command's result: `json` in JSON mode, `text()` otherwise. Call once per command. */
  result(json: unknown, text: () => string): void {
    if (this.format === "json") {
      if (this.#resultWritten) throw new Error("a command printed two JSON documents");
      this.#resultWritten = true;
      // Indented for a person at a terminal; one line for a program (an apply of 2,500 objects
      // is 8.8 MB indented, 4.4 MB not).
      const indent = this.#streams.stdout.isTTY ? 2 : undefined;
      this.#streams.stdout.write(`${redactor.redact(JSON.stringify(json, null, indent))}\n`);
      return;
    }
    const body = text();
    if (body) this.#streams.stdout.write(`${redactor.redact(body)}${body.endsWith("\n") ? "" : "\n"}`);
  }

  /** Progress and notes for people; stderr, and only in text mode. */
  note(text: string): void {
    if (this.format === "text") this.#streams.stderr.write(`${redactor.redact(text)}\n`);
  }

  /** Reports a failure: a JSON error document in JSON mode, a readable message on stderr otherwise. */
  failure(error: unknown): void {
    if (this.format === "json") {
      if (this.#resultWritten) return;
      this.result({ ok: false, error: errorDocument(error) }, () => "");
      return;
    }
    const c = this.color;
    const message = describeError(error);
    const [first = "", ...rest] = message.split("\n");
    const lines = [`${c.red(c.bold("error:"))} ${first}`, ...rest];
    this.#streams.stderr.write(`${redactor.redact(lines.join("\n"))}\n`);
  }
}

function errorDocument(error: unknown): Record<string, unknown> {
  if (error instanceof AutopilotError) return error.toJSON();
  return { error: "Error", kind: "internal", message: describeError(error) };
}
