import type { Command } from "commander";
import { displayChange, planToJson } from "../../engine/plan-summary.ts";
import { preparePlan } from "../../engine/reconcile.ts";
import type { CommandRunner } from "../command-runner.ts";
import { ExitCode } from "../exit-codes.ts";
import { renderPlan } from "../render/plan-text.ts";

/**
 * `autopilot drift`: changes made in the targets behind Autopilot's back (the config is the
 * same as at the last apply, the target is not). Config edits not yet applied are counted
 * apart: they are pending, not drift.
 */
export function registerDriftCommand(program: Command, runner: CommandRunner): void {
  program
    .command("drift")
    .description(
      "compare the targets with the last applied state; exit 2 when something changed behind Autopilot's back",
    )
    .action(
      runner.action("drift", async (context) => {
        const { openLab } = await import("../lab.ts");
        const lab = await openLab(context, { connectEarly: true });
        try {
          const { plan } = await preparePlan(lab.reconcile);
          const drifted = plan.actions.filter((action) => action.drift);
          const pending = plan.actions.filter((action) => !action.drift && action.type !== "noop").length;
          const items = drifted.map((action) => ({
            id: action.id,
            action: action.type,
            ...(action.reason ? { reason: action.reason } : {}),
            fields: action.changes.map(displayChange),
          }));
          context.output.result(
            { drift: drifted.length > 0, items, pending, unavailable: planToJson(plan).unavailable },
            () =>
              `${renderPlan(plan, context.output.color, { onlyDrift: true })}${pending ? `\n${pending} pending config change(s) not yet applied (see \`autopilot plan\`).` : ""}`,
          );
          if (plan.unavailable.size > 0) return ExitCode.error;
          return drifted.length > 0 ? ExitCode.changes : ExitCode.ok;
        } finally {
          await lab.close();
        }
      }),
    );
}
