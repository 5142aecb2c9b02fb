import { AutopilotError } from "../errors/autopilot-error.ts";
import type { CliIO } from "./cli-io.ts";

/**
 * Reads a secret value for `secrets set`: from a pipe (one trailing newline dropped), or from a
 * terminal prompt with echo off, asked twice. Never from argv, where values end up in shell
 * history and in `ps` output for every user of the machine.
 */
export async function readSecretInput(io: CliIO, name: string): Promise<string> {
  if (!io.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(chunks)
      .toString("utf8")
      .replace(/\r?\n$/, "");
  }
  const first = await promptHidden(io, `value for ${name}: `);
  const second = await promptHidden(io, `again, to confirm: `);
  if (first !== second) {
    throw new AutopilotError("invalid", "the two values differ; nothing was stored", {
      hint: "run the command again",
    });
  }
  return first;
}

function promptHidden(io: CliIO, question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const input = io.stdin;
    io.stderr.write(question);
    input.setRawMode?.(true);
    input.resume();
    let value = "";
    const finish = (error?: Error) => {
      input.setRawMode?.(false);
      input.pause();
      input.removeListener("data", onData);
      io.stderr.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of String(chunk)) {
        if (char === "\r" || char === "\n") return finish();
        if (char === "\u0003") return finish(new AutopilotError("invalid", "cancelled; nothing was stored"));
        if (char === "\u007f" || char === "\b") value = value.slice(0, -1);
        else value += char;
      }
    };
    input.on("data", onData);
  });
}
