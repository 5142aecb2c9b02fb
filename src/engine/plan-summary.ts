import type { ActionResult } from "./execute.ts";
import { type FieldChange, isKnownAfterApply } from "./field-diff.ts";
import type { ActionType, Plan, PlannedAction } from "./plan.ts";

export const SENSITIVE = "(sensitive)";
export const KNOWN_AFTER = "(known after apply)";

export type PlanCounts = Record<ActionType, number>;

export function countActions(actions: readonly { type: ActionType }[]): PlanCounts {
  const counts: PlanCounts = { create: 0, update: 0, delete: 0, noop: 0, conflict: 0, invalid: 0, forget: 0 };
  for (const action of actions) counts[action.type] += 1;
  return counts;
}

/** True when applying the plan would write anything (or cannot, because of a conflict). */
export function planHasChanges(plan: Plan): boolean {
  return plan.actions.some((action) => action.type !== "noop" && action.type !== "forget");
}

/** A change as it may be shown: secret values masked, unknown values named. */
export function displayChange(change: FieldChange): { path: string; before: unknown; after: unknown } {
  const show = (value: unknown) => {
    if (isKnownAfterApply(value)) return KNOWN_AFTER;
    if (change.sensitive && value !== undefined && value !== null) return SENSITIVE;
    return value;
  };
  return { path: change.path, before: show(change.before), after: show(change.after) };
}

/** The machine-readable plan (`-o json`): stable field names, secrets masked. */
export function planToJson(plan: Plan): Record<string, unknown> {
  const visible = plan.actions;
  return {
    changes: planHasChanges(plan),
    summary: countActions(visible),
    unavailable: [...plan.unavailable].map(([target, error]) => ({ target, error: error.message })),
    actions: visible.map(actionToJson),
  };
}

function actionToJson(action: PlannedAction): Record<string, unknown> {
  return {
    id: action.id,
    action: action.type,
    target: action.ref.target,
    kind: action.ref.kind,
    key: action.ref.key,
    drift: action.drift,
    ...(action.reason ? { reason: action.reason } : {}),
    ...(action.origin ? { origin: action.origin } : {}),
    changes: action.changes.map(displayChange),
    dependsOn: action.dependsOn,
  };
}

/**
 * An apply's result for `-o json`: its changes shown as the plan shows them (secret values
 * masked, unknown values named), not as the engine holds them.
 */
export function resultToJson(result: ActionResult): Record<string, unknown> {
  return { ...result, changes: result.changes.map(displayChange) };
}
