import type { PendingIssue } from "./config-issue.ts";
import { MERGE_KEYS } from "./overlay-schema.ts";
import type { SourceEntry, SourceMap, SourceNode, SourceSeq } from "./source-tree.ts";

function isNull(node: SourceNode): boolean {
  return node.kind === "scalar" && node.value === null;
}

/**
 * Merges an overlay over a base: mappings key by key (an overlay `null` removes the key), lists
 * of mappings that carry a `name` (or `username`) item by item by that key (new items appended),
 * anything else replaced. Nodes are reused, not copied, so every merged value keeps the position
 * where it was written.
 */
export function mergeSource(base: SourceNode | undefined, overlay: SourceNode): SourceNode | undefined {
  if (isNull(overlay)) return undefined;
  if (overlay.kind === "map") return mergeMaps(base?.kind === "map" ? base : undefined, overlay);
  if (overlay.kind === "seq" && base?.kind === "seq") {
    const key = mergeKeyOf(overlay);
    if (key !== undefined) return mergeListsByKey(base, overlay, key);
  }
  return overlay;
}

function mergeMaps(base: SourceMap | undefined, overlay: SourceMap): SourceMap {
  const entries = new Map<string, SourceEntry>(base?.entries);
  for (const [key, entry] of overlay.entries) {
    const merged = mergeSource(entries.get(key)?.value, entry.value);
    if (merged === undefined) entries.delete(key);
    else entries.set(key, { key, keyAt: entries.get(key)?.keyAt ?? entry.keyAt, value: merged });
  }
  return { kind: "map", at: base?.at ?? overlay.at, entries };
}

function identityOf(item: SourceNode, key: string): string | undefined {
  if (item.kind !== "map") return undefined;
  const value = item.entries.get(key)?.value;
  return value?.kind === "scalar" && value.value !== null ? String(value.value) : undefined;
}

/** The key every overlay item is identified by, when the list can be merged item by item. */
function mergeKeyOf(list: SourceSeq): string | undefined {
  if (list.items.length === 0) return undefined;
  return MERGE_KEYS.find((key) => list.items.every((item) => identityOf(item, key) !== undefined));
}

function mergeListsByKey(base: SourceSeq, overlay: SourceSeq, key: string): SourceSeq {
  const items = [...base.items];
  for (const item of overlay.items) {
    const identity = identityOf(item, key);
    const index = items.findIndex((candidate) => identityOf(candidate, key) === identity);
    if (index < 0) {
      items.push(mergeSource(undefined, item) as SourceNode);
    } else {
      items[index] = mergeSource(items[index], item) as SourceNode;
    }
  }
  return { kind: "seq", at: base.at, items };
}

export interface EnvironmentSelection {
  root?: SourceMap;
  issue?: PendingIssue;
}

export function environmentNames(root: SourceMap): string[] {
  const environments = root.entries.get("environments")?.value;
  return environments?.kind === "map" ? [...environments.entries.keys()] : [];
}

/**
 * The base with `environments[name]` merged over it. The environments block itself stays in the
 * result so the overlays are still checked against their schema.
 */
export function applyEnvironment(root: SourceMap, name: string): EnvironmentSelection {
  const environments = root.entries.get("environments");
  const overlay =
    environments?.value.kind === "map" ? environments.value.entries.get(name)?.value : undefined;
  if (overlay === undefined) {
    const known = environmentNames(root);
    return {
      issue: {
        path: [],
        rule: "unknown-environment",
        predicate: `environment ${JSON.stringify(name.slice(0, 64))} is not defined in this file`,
        hint:
          known.length > 0 ? `known environments: ${known.join(", ")}` : "the file defines no environments",
        at: environments?.keyAt ?? root.at,
      },
    };
  }
  // A null overlay changes nothing; a non-mapping one is reported by the environments schema.
  if (overlay.kind !== "map") return { root };
  const base: SourceMap = { ...root, entries: new Map(root.entries) };
  base.entries.delete("environments");
  const merged = mergeSource(base, overlay) as SourceMap;
  if (environments) merged.entries.set("environments", environments);
  return { root: merged };
}
