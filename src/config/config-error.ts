import { AutopilotError } from "../errors/autopilot-error.ts";
import { type ConfigIssue, formatIssue } from "./config-issue.ts";

/**
 * The config (file or labels) is wrong. Carries every problem found, each located; the message
 * lists them one per line as `file:line:column: message [rule]` so editors and terminals can
 * jump to them.
 */
export class ConfigError extends AutopilotError {
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[], options: { hint?: string; cause?: unknown } = {}) {
    const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
    const file = issues[0]?.file ?? "config";
    super("config", [`${file}: ${count}`, ...issues.map(formatIssue)].join("\n"), {
      hint: options.hint ?? "fix the lines above, then run `autopilot validate`",
      cause: options.cause,
    });
    this.issues = issues;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}
