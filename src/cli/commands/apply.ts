import type { Command } from "commander";
import { planHasChanges, planToJson, resultToJson } from "../../engine/plan-summary.ts";
import { applyPlan, converged, preparePlan } from "../../engine/reconcile.ts";
import { refId } from "../../engine/resource.ts";
import { AutopilotError } from "../../errors/autopilot-error.ts";
import type { CommandContext } from "../command-context.ts";
import type { CommandRunner } from "../command-runner.ts";
import { ExitCode } from "../exit-codes.ts";
import { parseObjectRef } from "../object-ref.ts";
import { progressPrinter, renderApplySummary } from "../render/apply-progress.ts";
import { renderPlan } from "../render/plan-text.ts";

interface ApplyOptions {
  yes?: boolean;
  target?: string[];
  parallelism: string;
}

/**
 * `autopilot apply`: plan, confirm (or --yes), execute with progress. 0 converged, 3 when some
 * actions failed or a target was unreachable (the rest still converged), 1 on errors before
 * anything could run. Ctrl-C lets the actions in flight finish and starts nothing new.
 */
export function registerApplyCommand(program: Command, runner: CommandRunner): void {
  program
    .command("apply")
    .description("converge the targets to the config: plan, confirm, execute")
    .option("-y, --yes", "apply without asking")
    .option(
      "--parallelism <n>",
      "write requests in flight at once per remote target (local files are written in batches)",
      "8",
    )
    .option(
      "--target <KIND/KEY...>",
      "only these objects (and what they need), e.g. authentik/application/grafana",
    )
    .action(
      runner.action<ApplyOptions>("apply", async (context, options) => {
        const { openLab } = await import("../lab.ts");
        const lab = await openLab(context, { connectEarly: true });
        try {
          const parallelism = Number(options.parallelism);
          if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > 256) {
            throw new AutopilotError("invalid", "--parallelism must be a whole number from 1 to 256");
          }
          const prepared = await preparePlan(lab.reconcile);
          const { plan } = prepared;
          const only = options.target?.length
            ? new Set(options.target.map((text) => refId(parseObjectRef(text, lab.reconcile.providers))))
            : undefined;
          const c = context.output.color;
          if (!planHasChanges(plan)) {
            context.output.result(
              { converged: plan.unavailable.size === 0, plan: planToJson(plan), results: [] },
              () => renderPlan(plan, c),
            );
            return plan.unavailable.size > 0 ? ExitCode.partial : ExitCode.ok;
          }
          if (context.output.format === "text") context.io.stderr.write(`${renderPlan(plan, c)}\n\n`);
          if (!options.yes && !(await confirm(context))) {
            throw new AutopilotError("invalid", "not applied: nothing was changed", {
              hint: "answer y, or run non-interactively with --yes",
            });
          }
          const controller = new AbortController();
          const stop = () => {
            context.output.note("interrupted: finishing the changes in flight, starting no new ones…");
            controller.abort();
          };
          process.once("SIGINT", stop);
          process.once("SIGTERM", stop);
          try {
            const results = await applyPlan(lab.reconcile, prepared, {
              concurrency: parallelism,
              signal: controller.signal,
              ...(only ? { only } : {}),
              onProgress: progressPrinter((line) => context.output.note(line), c),
            });
            const ok = converged(results, plan);
            const json = { converged: ok, plan: planToJson(plan), results: results.map(resultToJson) };
            context.output.result(json, () => renderApplySummary(results, c));
            return ok ? ExitCode.ok : ExitCode.partial;
          } finally {
            process.removeListener("SIGINT", stop);
            process.removeListener("SIGTERM", stop);
          }
        } finally {
          await lab.close();
        }
      }),
    );
}

async function confirm(context: CommandContext): Promise<boolean> {
  const { stdin, stderr } = context.io;
  if (!stdin.isTTY) {
    throw new AutopilotError(
      "invalid",
      "apply needs confirmation and stdin is not a terminal; nothing was changed",
      {
        hint: "re-run with --yes to apply without asking",
      },
    );
  }
  stderr.write("Apply these changes? [y/N] ");
  const answer = await new Promise<string>((resolve) => {
    stdin.once("data", (chunk) => resolve(String(chunk)));
    stdin.resume();
  });
  stdin.pause();
  return /^y(es)?$/i.test(answer.trim());
}
