import type { Command } from "commander";
import { verifyAuditChain } from "../../observability/audit/audit-verify.ts";
import type { CommandRunner } from "../command-runner.ts";
import { ExitCode } from "../exit-codes.ts";

interface StateOption {
  state?: string;
}

/** `autopilot audit verify|tail`: the hash-chained audit log in the state store. */
export function registerAuditCommands(program: Command, runner: CommandRunner): void {
  const audit = program.command("audit").description("inspect the tamper-evident audit log");

  audit
    .command("verify")
    .description("recompute the hash chain; exit 1 when any entry was edited, removed or reordered")
    .option("--state <file>", "state database to check (default: the config's state.path)")
    .action(
      runner.action<StateOption>("audit.verify", async (context, options) => {
        const state = await context.state(options.state);
        const verification = await verifyAuditChain(state.audit);
        const c = context.output.color;
        context.output.result({ file: state.file, ...verification }, () => {
          if (verification.ok) {
            const head = verification.head
              ? `, head #${verification.head.seq} ${verification.head.hash}`
              : "";
            return `${c.green("✓")} audit chain intact: ${verification.entries} entries${head}`;
          }
          return [
            `${c.red("✗")} audit chain broken in ${state.file}:`,
            ...verification.problems.map(
              (problem) => `  #${problem.seq} ${c.red(problem.kind)}: ${problem.message}`,
            ),
          ].join("\n");
        });
        return verification.ok ? ExitCode.ok : ExitCode.error;
      }),
    );

  audit
    .command("tail")
    .description("show the most recent audit entries")
    .option("-n, --lines <count>", "how many entries", "20")
    .option("--state <file>", "state database to read (default: the config's state.path)")
    .action(
      runner.action<StateOption & { lines: string }>("audit.tail", async (context, options) => {
        const count = Number(options.lines);
        if (!Number.isInteger(count) || count < 1 || count > 10_000) {
          throw new RangeError("--lines must be a whole number from 1 to 10000");
        }
        const state = await context.state(options.state);
        const entries = await state.audit.tail(count);
        const c = context.output.color;
        context.output.result({ entries }, () =>
          entries.length === 0
            ? "the audit log is empty"
            : entries
                .map((entry) => {
                  const outcome = entry.outcome === "success" ? c.green(entry.outcome) : c.red(entry.outcome);
                  return `${c.dim(`#${entry.seq} ${entry.at}`)} ${entry.actor} ${c.bold(entry.action)} ${entry.target}/${entry.objectKey} ${outcome}`;
                })
                .join("\n"),
        );
        return ExitCode.ok;
      }),
    );
}
