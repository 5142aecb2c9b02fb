import type { PendingIssue } from "./config-issue.ts";
import { locate, type SourceNode } from "./source-tree.ts";

/** What every semantic check gets: the source tree, to name the line of an earlier occurrence. */
export interface SemanticContext {
  root: SourceNode;
  /** Resolves a path from the config (relative to its directory, `~` expanded). */
  resolvePath(path: string): string;
  /** Read files the config points at (dashboards); off for pure parsing of text. */
  checkFiles: boolean;
}

export function lineOf(context: SemanticContext, path: (string | number)[]): number {
  return locate(context.root, path).at.line;
}

/** For each item whose key repeats an earlier item's, the two indices (case-insensitive keys). */
export function duplicates<T>(
  items: readonly T[],
  keyOf: (item: T) => string | undefined,
): { index: number; first: number }[] {
  const firstByKey = new Map<string, number>();
  const found: { index: number; first: number }[] = [];
  items.forEach((item, index) => {
    const key = keyOf(item)?.toLowerCase();
    if (key === undefined) return;
    const first = firstByKey.get(key);
    if (first === undefined) firstByKey.set(key, index);
    else found.push({ index, first });
  });
  return found;
}

/** duplicate-name issues for a list whose items are identified by `field`. */
export function duplicateNames<T>(
  context: SemanticContext,
  listPath: (string | number)[],
  items: readonly T[],
  field: string,
  noun: string,
  keyOf: (item: T) => string | undefined,
): PendingIssue[] {
  return duplicates(items, keyOf).map(({ index, first }) => ({
    path: [...listPath, index, field],
    rule: field === "uid" ? "duplicate-uid" : "duplicate-name",
    predicate: `repeats the ${noun} ${JSON.stringify(keyOf(items[first] as T))} of line ${lineOf(context, [...listPath, first, field])}`,
    hint: `each ${noun} must be unique in the list`,
  }));
}
