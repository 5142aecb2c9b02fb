import type { Command } from "commander";
import { restartWithDaemonSettings } from "../../daemon/runtime-settings.ts";
import type { CommandRunner } from "../command-runner.ts";
import { ExitCode } from "../exit-codes.ts";

/**
 * `autopilot run`: the daemon, until SIGINT or SIGTERM; then the action in flight finishes,
 * the audit log is closed cleanly, the lock is released, and the exit code is 0.
 */
export function registerRunCommand(program: Command, runner: CommandRunner): void {
  program
    .command("run")
    .description("run the daemon: reconcile loop, drift alerts, self-healing, status page and /metrics")
    .action(
      runner.action("daemon", async (context) => {
        restartWithDaemonSettings(context.io);
        const { startDaemon } = await import("../../daemon/daemon.ts");
        const daemon = await startDaemon(context);
        context.output.note(
          `Autopilot is running. Status page: ${daemon.url}/ (log in with the daemon token). Ctrl-C stops it.`,
        );
        await new Promise<void>((resolve) => {
          process.once("SIGINT", resolve);
          process.once("SIGTERM", resolve);
        });
        context.output.note("stopping: finishing the change in flight…");
        await daemon.stop();
        return ExitCode.ok;
      }),
    );
}
