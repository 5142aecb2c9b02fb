/** The process's streams and environment, injectable so the CLI runs in-process in tests. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /**
   * Replaces this process by the same command line with more Node flags and environment. Only
   * the real process has it: a program that runs the CLI inside itself (a test) must not be replaced.
   */
  restart?: (nodeFlags: readonly string[], env: Readonly<Record<string, string>>) => void;
}

export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    ...(process.execve ? { restart: restartProcess } : {}),
  };
}

function restartProcess(nodeFlags: readonly string[], env: Readonly<Record<string, string>>): void {
  // The user's own Node flags come after ours, so theirs win.
  process.execve?.(
    process.execPath,
    [process.execPath, ...nodeFlags, ...process.execArgv, ...process.argv.slice(1)],
    {
      ...process.env,
      ...env,
    },
  );
}
