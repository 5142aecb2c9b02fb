import { PassThrough, Readable, Writable } from "node:stream";
import type { CliIO } from "../../src/cli/cli-io.ts";
import { main } from "../../src/cli/main.ts";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `autopilot …` in this process with captured streams; stdin from `input` when given. */
export async function runCli(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string; stdinIsTTY?: boolean },
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const out = new Writable({
    write(chunk, _encoding, done) {
      stdout += String(chunk);
      done();
    },
  });
  const err = new Writable({
    write(chunk, _encoding, done) {
      stderr += String(chunk);
      done();
    },
  });
  const stdin = options.input === undefined ? new PassThrough() : Readable.from([Buffer.from(options.input)]);
  if (options.input === undefined) (stdin as PassThrough).end();
  const io: CliIO = {
    stdout: out,
    stderr: err,
    stdin: Object.assign(stdin, { isTTY: options.stdinIsTTY ?? false }),
    env: { AUTOPILOT_LOG_LEVEL: "warn", ...options.env },
    cwd: options.cwd,
  };
  const code = await main(["node", "autopilot", ...args], io);
  return { code, stdout, stderr };
}
