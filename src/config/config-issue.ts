/**
 * One problem in a config file, located at the YAML node that causes it: for an unknown key the
 * key itself, for a wrong value the value, for a missing key the mapping that lacks it. Messages
 * name the field and the rule, never the value (it may be a secret).
 */
export interface ConfigIssue {
  file: string;
  /** 1-based; 0 when the problem concerns the whole file (it does not exist, cannot be read). */
  line: number;
  column: number;
  path: (string | number)[];
  /** Short stable id of the broken rule, e.g. "unknown-key", "literal-credential". */
  rule: string;
  message: string;
  hint?: string;
  severity: "error" | "warning";
  /** The environment whose merged config showed the problem (validateAllEnvironments). */
  environment?: string;
}

export interface Position {
  line: number;
  column: number;
}

/** A problem found by a check that knows the path but not yet the file position. */
export interface PendingIssue {
  path: (string | number)[];
  rule: string;
  /** Completes a sentence whose subject is the field: "must be an https:// URL". */
  predicate: string;
  hint?: string;
  severity?: "error" | "warning";
  /** Point at the key rather than the value (unknown and invalid keys). */
  target?: "key" | "value";
  /** Already known position (YAML-level problems). */
  at?: Position;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** services[2].widget.password; keys that are not identifiers are quoted and shortened. */
export function formatPath(path: readonly (string | number)[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (IDENTIFIER.test(segment) && segment.length <= 64) text += text === "" ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment.length > 64 ? `${segment.slice(0, 61)}...` : segment)}]`;
  }
  return text;
}

export function composeMessage(path: readonly (string | number)[], predicate: string): string {
  const subject = formatPath(path);
  if (subject === "") return predicate.charAt(0).toUpperCase() + predicate.slice(1);
  return `${subject} ${predicate}`;
}

/** `file:line:column: message [rule]`, then the hint on its own line. */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  const label = issue.severity === "warning" ? "warning: " : "";
  const environment = issue.environment ? ` (environment ${issue.environment})` : "";
  const head = `${where}: ${label}${issue.message}${environment} [${issue.rule}]`;
  return issue.hint ? `${head}\n    hint: ${issue.hint}` : head;
}

export function compareIssues(a: ConfigIssue, b: ConfigIssue): number {
  return (
    a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule)
  );
}

/**
 * Drops repeats of the same problem: an overlay value is checked both inside `environments`
 * and in the merged result, and every environment repeats the base's problems.
 */
export function dedupeIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  const kept: ConfigIssue[] = [];
  for (const issue of issues) {
    const key = `${issue.file}:${issue.line}:${issue.column}:${issue.rule}:${String(issue.path.at(-1))}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(issue);
  }
  return kept;
}
