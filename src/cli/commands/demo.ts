import { resolve } from "node:path";
import type { Command } from "commander";
import { loopbackPort } from "../../demo/ports.ts";
import { applyPlan, converged, preparePlan } from "../../engine/reconcile.ts";
import { generateSecretValue } from "../../secrets/generate.ts";
import { CommandContext } from "../command-context.ts";
import type { CommandRunner } from "../command-runner.ts";
import { ExitCode } from "../exit-codes.ts";
import { progressPrinter } from "../render/apply-progress.ts";

/**
 * `autopilot demo`: a whole lab on this machine — the simulated Authentik and Grafana, the real
 * Docker engine when one answers — written to ./autopilot-demo/, applied, then run as a daemon
 * with its status page. Everything it creates is local and throw-away; the credentials it
 * prints belong to the sandbox only.
 */
export function registerDemoCommand(program: Command, runner: CommandRunner): void {
  program
    .command("demo")
    .description(
      "run a complete sandbox lab: simulators, example config in ./autopilot-demo/, apply, then the daemon",
    )
    .option("--dir <path>", "where to write the demo lab", "autopilot-demo")
    .action(
      runner.action<{ dir: string }>("demo", async (context, options) => {
        const { startDaemon } = await import("../../daemon/daemon.ts");
        const { startSandbox } = await import("../../sandbox/sandbox.ts");
        const { openLab } = await import("../lab.ts");
        const { initAgeStore, openAgeStore } = await import("../../secrets/age-store.ts");
        const { writeDemoConfig } = await import("../../demo/demo-lab.ts");
        const { io } = context;
        const say = (line: string) => io.stderr.write(`${line}\n`);
        const c = context.output.color;
        const dir = resolve(io.cwd, options.dir);
        say(c.bold("Starting the sandbox: simulated Authentik, Grafana and Vault on 127.0.0.1…"));
        const sandbox = await startSandbox();
        try {
          const info = sandbox.describe();
          const dockerEndpoint = await reachableDocker(io.env);
          say(
            dockerEndpoint
              ? `Docker engine found at ${dockerEndpoint}: labelled containers join the lab.`
              : "No Docker engine answered: using the example services only.",
          );
          const port = await loopbackPort(8300);
          const file = await writeDemoConfig({
            dir,
            sandbox,
            daemonPort: port,
            ...(dockerEndpoint ? { dockerEndpoint } : {}),
          });
          say(`Wrote ${file}`);

          const storePaths = {
            storePath: resolve(dir, "secrets.age"),
            identityPath: resolve(dir, "identity.txt"),
          };
          await initAgeStore(storePaths);
          const store = await openAgeStore(storePaths);
          const daemonToken = (await store.get("daemon_token")) ?? generateSecretValue(32);
          await store.setMany([
            ["authentik_token", info.authentik.token],
            ["grafana_token", info.grafana.token],
            ["grafana_admin_password", info.grafana.adminPassword],
            ["daemon_token", daemonToken],
          ]);

          const lab = new CommandContext(
            io,
            context.output,
            { ...context.options, config: file },
            "cli:demo",
          );
          try {
            say(c.bold("Applying the example lab…"));
            const opened = await openLab(lab);
            const prepared = await preparePlan(opened.reconcile);
            const results = await applyPlan(opened.reconcile, prepared, {
              onProgress: progressPrinter(say, c),
            });
            await opened.close();
            const ok = converged(results, prepared.plan);
            say(
              ok
                ? c.green(
                    `converged: ${results.filter((r) => r.status === "succeeded").length} objects created in the sandbox.`,
                  )
                : c.yellow("partly converged; the daemon keeps trying."),
            );

            const daemon = await startDaemon(lab);
            context.io.stdout.write(
              [
                "",
                c.bold("The demo lab is running. Open:"),
                `  status page   ${daemon.url}/   (log in with the daemon token: ${daemonToken})`,
                `  homepage      ${resolve(dir, "homepage")}/services.yaml (the generated dashboard config)`,
                `  authentik     ${info.authentik.url}/api/v3/core/applications/?superuser_full_list=true  (Authorization: Bearer ${info.authentik.token})`,
                `  grafana       ${info.grafana.url}/api/search  (Authorization: Bearer ${info.grafana.token})`,
                "",
                `Try: edit ${file} and watch the daemon converge, or change an application in the simulated Authentik and see drift on the status page.`,
                "The tokens above belong to this sandbox only. Ctrl-C stops everything.",
                "",
              ].join("\n"),
            );
            await new Promise<void>((done) => {
              process.once("SIGINT", done);
              process.once("SIGTERM", done);
            });
            say("stopping…");
            await daemon.stop();
          } finally {
            await lab.close();
          }
        } finally {
          await sandbox.close();
        }
        return ExitCode.ok;
      }),
    );
}

async function reachableDocker(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const { default: Docker } = await import("dockerode");
  const candidates = [env.DOCKER_HOST, "unix:///var/run/docker.sock"].filter((value): value is string =>
    Boolean(value?.startsWith("unix://")),
  );
  for (const endpoint of candidates) {
    try {
      await new Docker({ socketPath: endpoint.slice("unix://".length) }).ping();
      return endpoint;
    } catch {
      // not this one
    }
  }
  return undefined;
}
