import type { Command } from "commander";
import { type ProbeResult, probeOk } from "../../providers/probe.ts";
import type { CommandContext } from "../command-context.ts";
import type { CommandRunner } from "../command-runner.ts";
import { ExitCode } from "../exit-codes.ts";
import type { Colors } from "../output.ts";

/** `autopilot doctor`: reach, TLS, auth and version of every configured target, all at once. */
export function registerDoctorCommand(program: Command, runner: CommandRunner): void {
  program
    .command("doctor")
    .description(
      "check that every configured target is reachable, trusted, accepts our credentials and runs a supported version",
    )
    .action(
      runner.action("doctor", async (context) => {
        const results = await runProbes(context);
        const ok = results.every(probeOk);
        context.output.result({ ok, targets: results }, () =>
          renderProbes(results, context.output.color, ok),
        );
        return ok ? ExitCode.ok : ExitCode.error;
      }),
    );
}

async function runProbes(context: CommandContext): Promise<ProbeResult[]> {
  // Loaded here, not at the top: `autopilot --help` must not pay for every target's client.
  const [
    { probeAuthentik },
    { probeDocker },
    { probeGrafana },
    { probeHomepage },
    { probePrometheus },
    { probeVault },
  ] = await Promise.all([
    import("../../providers/authentik/probe.ts"),
    import("../../providers/docker/probe.ts"),
    import("../../providers/grafana/probe.ts"),
    import("../../providers/homepage/probe.ts"),
    import("../../providers/prometheus/probe.ts"),
    import("../../secrets/vault/vault-probe.ts"),
  ]);
  const loaded = await context.config();
  const { targets, secrets } = loaded.config;
  const resolver = await context.secrets();
  const probes: Promise<ProbeResult | ProbeResult[]>[] = [];
  if (secrets.vault)
    probes.push(probeVault(secrets.vault.address, async () => (await context.vault()).client));
  if (targets.authentik) probes.push(probeAuthentik(loaded, resolver));
  if (targets.grafana) probes.push(probeGrafana(loaded, resolver));
  if (targets.prometheus) probes.push(probePrometheus(loaded));
  if (targets.homepage) probes.push(probeHomepage(loaded));
  if (targets.docker) probes.push(probeDocker(loaded));
  return (await Promise.all(probes)).flat();
}

const SYMBOL = { ok: "✓", warn: "!", fail: "✗", skip: "-" } as const;

function renderProbes(results: ProbeResult[], c: Colors, ok: boolean): string {
  if (results.length === 0) return "no targets are configured; add some under `targets:`";
  const paint = { ok: c.green, warn: c.yellow, fail: c.red, skip: c.dim } as const;
  const lines: string[] = [];
  for (const result of results) {
    lines.push(`${c.bold(result.target)} ${c.dim(result.url)}`);
    for (const check of result.checks) {
      lines.push(`  ${paint[check.status](SYMBOL[check.status])} ${check.name.padEnd(8)} ${check.detail}`);
      if (check.hint && check.status !== "ok") lines.push(`             ${c.dim(`hint: ${check.hint}`)}`);
    }
  }
  lines.push(ok ? c.green("all targets healthy") : c.red("some targets need attention"));
  return lines.join("\n");
}
