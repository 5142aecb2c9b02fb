import { AutopilotError } from "../../errors/autopilot-error.ts";

/** An object vanished between the plan's read and the write: the next apply recreates it. */
export function goneDuringApply(what: string, key: string): AutopilotError {
  return new AutopilotError("not-found", `${what} ${key} disappeared while Autopilot was updating it`, {
    hint: "run apply again: it will be created from the config",
    retryable: true,
  });
}
