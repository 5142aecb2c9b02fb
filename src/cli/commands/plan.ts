import type { Command } from "commander";
import { planHasChanges, planToJson } from "../../engine/plan-summary.ts";
import { preparePlan } from "../../engine/reconcile.ts";
import type { CommandRunner } from "../command-runner.ts";
import { ExitCode } from "../exit-codes.ts";
import { renderPlan } from "../render/plan-text.ts";

/** `autopilot plan`: what apply would change, read-only, secrets masked. */
export function registerPlanCommand(program: Command, runner: CommandRunner): void {
  program
    .command("plan")
    .description("show what apply would change in each target (reads only; secrets masked)")
    .option("--detailed-exitcode", "exit 2 when there are changes, 0 when there are none")
    .action(
      runner.action<{ detailedExitcode?: boolean }>("plan", async (context, options) => {
        const { openLab } = await import("../lab.ts");
        const lab = await openLab(context, { connectEarly: true });
        try {
          const { plan } = await preparePlan(lab.reconcile);
          context.output.result(planToJson(plan), () => renderPlan(plan, context.output.color));
          if (plan.unavailable.size > 0) return ExitCode.error;
          return options.detailedExitcode && planHasChanges(plan) ? ExitCode.changes : ExitCode.ok;
        } finally {
          await lab.close();
        }
      }),
    );
}
