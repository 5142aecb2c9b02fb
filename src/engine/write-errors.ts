import { AutopilotError, describeError } from "../errors/autopilot-error.ts";
import { isUnknownOutcome } from "../http/errors.ts";

/** True when a write may or may not have been applied by the target. */
export function isUnknownOutcomeError(error: unknown): boolean {
  return isUnknownOutcome(error);
}

/** A failed action's error as it appears in results, JSON output and audit: kind + redacted text. */
export function writeErrorSummary(error: unknown): { kind: string; message: string } {
  if (error instanceof AutopilotError) return { kind: error.kind, message: describeError(error) };
  return { kind: "internal", message: describeError(error) };
}
