import { PassThrough, Writable } from "node:stream";
import type { CliIO } from "../../src/cli/cli-io.ts";
import { CommandContext } from "../../src/cli/command-context.ts";
import { Output } from "../../src/cli/output.ts";

/** A CommandContext for `homelab.yaml` in `cwd`, with quiet streams, for in-process daemon tests. */
export function quietContext(cwd: string, env: NodeJS.ProcessEnv, actor = "daemon"): CommandContext {
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const io: CliIO = {
    stdout: sink,
    stderr: sink,
    stdin: new PassThrough(),
    env: { ...env, AUTOPILOT_LOG_LEVEL: "silent" },
    cwd,
  };
  return new CommandContext(
    io,
    new Output("text", io),
    { config: "homelab.yaml", output: "text", color: false },
    actor,
  );
}
