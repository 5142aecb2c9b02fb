import type { Command } from "commander";
import type { CommandRunner } from "../command-runner.ts";
import { ExitCode } from "../exit-codes.ts";

interface SandboxOptions {
  json?: boolean;
  authentikPort?: string;
  grafanaPort?: string;
  vaultPort?: string;
}

/**
 * `autopilot sandbox`: the simulated Authentik, Grafana and Vault on loopback, until Ctrl-C.
 * The credentials are sandbox-only and printed on purpose — they are the point of the command.
 */
export function registerSandboxCommand(program: Command, runner: CommandRunner): void {
  program
    .command("sandbox")
    .description(
      "run simulated Authentik, Grafana and Vault on loopback (with fault injection) until interrupted",
    )
    .option("--json", "print {authentik, grafana, vault} URLs and credentials as one JSON line first")
    .option("--authentik-port <port>", "fixed port for the Authentik simulator")
    .option("--grafana-port <port>", "fixed port for the Grafana simulator")
    .option("--vault-port <port>", "fixed port for the Vault simulator")
    .action(
      runner.action<SandboxOptions>("sandbox", async (context, options) => {
        const { startSandbox } = await import("../../sandbox/sandbox.ts");
        const port = (text: string | undefined) => (text === undefined ? undefined : Number(text));
        const sandbox = await startSandbox({
          ...(options.authentikPort ? { authentik: port(options.authentikPort) } : {}),
          ...(options.grafanaPort ? { grafana: port(options.grafanaPort) } : {}),
          ...(options.vaultPort ? { vault: port(options.vaultPort) } : {}),
        } as Record<string, number>);
        const info = sandbox.describe();
        // Written directly: these are throw-away sandbox credentials the user asked to see.
        if (options.json || context.output.format === "json") {
          context.io.stdout.write(`${JSON.stringify(info)}\n`);
        } else {
          const c = context.output.color;
          context.io.stdout.write(
            [
              c.bold("Sandbox running on loopback (Ctrl-C to stop):"),
              `  authentik  ${info.authentik.url}   token ${info.authentik.token}`,
              `  grafana    ${info.grafana.url}   token ${info.grafana.token}   admin ${info.grafana.adminUser} / ${info.grafana.adminPassword}`,
              `  vault      ${info.vault.url}   token ${info.vault.token}`,
              c.dim(
                'Each answers GET /__sandbox/requests (what it received) and POST /__sandbox/faults (e.g. {"errorRate":0.2}).',
              ),
              "",
            ].join("\n"),
          );
        }
        await new Promise<void>((resolve) => {
          process.once("SIGINT", resolve);
          process.once("SIGTERM", resolve);
        });
        await sandbox.close();
        return ExitCode.ok;
      }),
    );
}
