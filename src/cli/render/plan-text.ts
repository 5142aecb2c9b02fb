import type { Plan, PlannedAction } from "../../engine/plan.ts";
import { countActions, displayChange } from "../../engine/plan-summary.ts";
import type { Colors } from "../output.ts";

const SYMBOLS: Record<PlannedAction["type"], string> = {
  create: "+",
  update: "~",
  delete: "-",
  noop: " ",
  conflict: "!",
  invalid: "!",
  forget: "·",
};

/** A plan for people: one block per change, field-level diffs, secrets masked, a summary line. */
export function renderPlan(plan: Plan, c: Colors, options: { onlyDrift?: boolean } = {}): string {
  const lines: string[] = [];
  for (const [target, error] of plan.unavailable) {
    lines.push(c.red(`✗ ${target} is unavailable, nothing planned for it: ${firstLine(error.message)}`));
  }
  const shown = plan.actions.filter(
    (action) => action.type !== "noop" && (!options.onlyDrift || action.drift),
  );
  const paint = {
    create: c.green,
    update: c.yellow,
    delete: c.red,
    noop: c.dim,
    conflict: c.magenta,
    invalid: c.magenta,
    forget: c.dim,
  } as const;
  for (const action of shown) {
    const colour = paint[action.type];
    const tags = [action.drift ? c.cyan("drift") : "", action.reason ? c.dim(action.reason) : ""]
      .filter(Boolean)
      .join(" ");
    lines.push(`${colour(`${SYMBOLS[action.type]} ${action.id}`)}${tags ? `  ${tags}` : ""}`);
    for (const change of action.changes) {
      const shownChange = displayChange(change);
      if (action.type === "create") lines.push(`    ${change.path}: ${c.green(format(shownChange.after))}`);
      else
        lines.push(
          `    ${change.path}: ${c.red(format(shownChange.before))} → ${c.green(format(shownChange.after))}`,
        );
    }
  }
  const counts = countActions(plan.actions);
  const summary = `${counts.create} to create, ${counts.update} to update, ${counts.delete} to delete, ${counts.noop} unchanged`;
  const problems = counts.conflict + counts.invalid;
  lines.push("");
  if (shown.length === 0 && plan.unavailable.size === 0)
    lines.push(c.green(options.onlyDrift ? "No drift." : "No changes: the lab matches the config."));
  else lines.push(`Plan: ${summary}${problems ? c.magenta(`, ${problems} need attention`) : ""}.`);
  return lines.join("\n");
}

function format(value: unknown): string {
  if (value === undefined) return "(none)";
  if (typeof value === "string") return value.startsWith("(") ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}
