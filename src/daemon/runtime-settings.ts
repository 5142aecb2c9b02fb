/**
 * Runtime settings for a process that runs for months. V8 sizes its young generation, and glibc
 * its allocator arenas, when a process starts, so `autopilot run` starts itself again with these
 * (execve: same PID, same stdio, nothing else running yet) before the daemon begins. Measured at
 * lab-500 (BENCHMARKS.md): idle RSS 155 → ~140 MB. The cost is more frequent young-generation
 * collections during a pass, which nobody waits for.
 */
export const DAEMON_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=2"];

/** Set in the restarted process, so it does not restart again. */
export const RESTARTED_MARKER = "AUTOPILOT_DAEMON_RUNTIME";

export interface RestartAccess {
  readonly env: NodeJS.ProcessEnv;
  /** Replaces this process by the same command line with more Node flags and environment. */
  readonly restart?: (nodeFlags: readonly string[], env: Readonly<Record<string, string>>) => void;
}

/**
 * Restarts the process with the daemon's settings, unless it already runs with them, cannot
 * restart (no execve on this platform, or the CLI runs inside another program, such as a test),
 * or the user turned it off with AUTOPILOT_DAEMON_RESTART=off. A user's own MALLOC_ARENA_MAX wins.
 * Returns only when it did not restart.
 */
export function restartWithDaemonSettings(access: RestartAccess): void {
  if (!access.restart) return;
  if (access.env[RESTARTED_MARKER] === "1" || access.env.AUTOPILOT_DAEMON_RESTART === "off") return;
  access.restart(DAEMON_NODE_FLAGS, {
    MALLOC_ARENA_MAX: access.env.MALLOC_ARENA_MAX ?? "2",
    [RESTARTED_MARKER]: "1",
  });
}
