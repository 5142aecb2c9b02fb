import { ConfigError } from "./config-error.ts";
import type { ConfigIssue } from "./config-issue.ts";
import { parseConfig } from "./load.ts";

/**
 * Small probes for the config tests: what a text is rejected with, and where. Positions are
 * counted on the text itself, independently of the YAML parser under test.
 */

export const HEADER = "apiVersion: autopilot/v1\ndomain: lab.example.com\n";

/** The issues parseConfig rejects `text` with; fails when the text is accepted. */
export function issuesOf(text: string, options: { environment?: string } = {}): ConfigIssue[] {
  try {
    parseConfig(text, "lab.yaml", { ...options, checkFiles: false });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error("expected the config to be rejected");
}

/** 1-based `line:column` of the first occurrence of `needle` at or after `from`. */
export function positionOf(text: string, needle: string, from = 0): string {
  const offset = text.indexOf(needle, from);
  if (offset < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, offset).split("\n");
  return `${before.length}:${(before.at(-1) ?? "").length + 1}`;
}

/** `line:column rule` of each issue: what a person jumps to, and which rule sent them there. */
export function where(issues: ConfigIssue[]): string[] {
  return issues.map((issue) => `${issue.line}:${issue.column} ${issue.rule}`);
}
