import { type Document, isMap, isScalar, isSeq, Scalar, visit, type YAMLMap, YAMLSeq } from "yaml";
import { AutopilotError } from "../../errors/autopilot-error.ts";
import { containsPlaceholderSyntax } from "./placeholders.ts";

/**
 * services.yaml as Homepage reads it: a list of one-key maps `{Group: [entries]}`, each entry a
 * one-key map `{Name: {href, widget, …}}` (or `{Name: [entries]}` for a nested group). These
 * functions find, add, replace and remove one service entry of a top-level group and touch
 * nothing else, so the rest of the document — comments included — is written back as it was.
 */
export interface ServiceEntry {
  readonly group: string;
  readonly name: string;
  readonly entry: Record<string, unknown>;
}

export function serviceKey(group: string, name: string): string {
  return `${group}/${name}`;
}

/** Every service directly in a top-level group; nested groups and malformed items are not services. */
export function listServiceEntries(document: Document | undefined): ServiceEntry[] {
  const groups = topLevel(document);
  if (!groups) return [];
  const entries: ServiceEntry[] = [];
  for (const item of groups.items) {
    const group = onlyPair(item);
    if (!group || !isSeq(group.value)) continue;
    for (const child of group.value.items) {
      const service = onlyPair(child);
      if (!service || !isMap(service.value)) continue;
      entries.push({
        group: group.key,
        name: service.key,
        entry: service.value.toJSON() as Record<string, unknown>,
      });
    }
  }
  return entries;
}

/** Adds the entry at the end of its group (made at the end of the file if new), or replaces it in place. */
export function upsertServiceEntry(document: Document, service: ServiceEntry): void {
  const groups = ensureTopLevel(document);
  let group = groups.items.map(onlyPair).find((pair) => pair?.key === service.group);
  if (!group) {
    groups.items.push(document.createNode({ [service.group]: [] }));
    group = onlyPair(groups.items.at(-1)) as NonNullable<typeof group>;
  }
  if (!isSeq(group.value)) {
    if (group.value !== null && !(isScalar(group.value) && group.value.value === null)) {
      throw new AutopilotError(
        "conflict",
        `group ${service.group} in services.yaml is not a list of services`,
        {
          hint: "fix that group by hand (Homepage expects `- Group:` followed by a list), then apply again",
        },
      );
    }
    group.pair.value = new YAMLSeq();
    group = onlyPair(group.node) as NonNullable<typeof group>;
  }
  const value = entryNode(document, service.entry);
  const seq = group.value as YAMLSeq;
  const existing = seq.items.map(onlyPair).find((pair) => pair?.key === service.name && isMap(pair.value));
  if (existing) {
    existing.pair.value = value;
    return;
  }
  const item = document.createNode({ [service.name]: null }) as YAMLMap;
  (item.items[0] as { value: unknown }).value = value;
  seq.items.push(item);
}

/** Removes the entry; a group left empty goes too (Homepage would show an empty heading). */
export function removeServiceEntry(document: Document, group: string, name: string): void {
  const groups = topLevel(document);
  if (!groups) return;
  const groupIndex = groups.items.findIndex((item) => onlyPair(item)?.key === group);
  const found = groupIndex < 0 ? undefined : onlyPair(groups.items[groupIndex]);
  if (!found || !isSeq(found.value)) return;
  const seq = found.value;
  const index = seq.items.findIndex((item) => {
    const pair = onlyPair(item);
    return pair?.key === name && isMap(pair.value);
  });
  if (index >= 0) seq.items.splice(index, 1);
  if (seq.items.length === 0) groups.items.splice(groupIndex, 1);
}

/**
 * The entry as YAML nodes. Strings holding a Homepage placeholder are double-quoted: Homepage
 * substitutes before parsing, and an unquoted `{{…}}` would be read as a flow mapping.
 */
function entryNode(document: Document, entry: Record<string, unknown>): YAMLMap {
  const node = document.createNode(entry) as YAMLMap;
  visit(node, {
    Scalar(_key, scalar) {
      if (typeof scalar.value === "string" && containsPlaceholderSyntax(scalar.value))
        scalar.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return node;
}

interface OnePair {
  readonly key: string;
  readonly value: unknown;
  readonly pair: { value: unknown };
  readonly node: unknown;
}

function onlyPair(node: unknown): OnePair | undefined {
  if (!isMap(node) || node.items.length !== 1) return undefined;
  const pair = node.items[0];
  if (!pair) return undefined;
  const key = isScalar(pair.key) ? pair.key.value : pair.key;
  if (typeof key !== "string" && typeof key !== "number") return undefined;
  return { key: String(key), value: pair.value, pair: pair as { value: unknown }, node };
}

function topLevel(document: Document | undefined): YAMLSeq | undefined {
  if (!document || document.contents === null) return undefined;
  if (isScalar(document.contents) && document.contents.value === null) return undefined;
  if (!isSeq(document.contents)) {
    throw new AutopilotError("invalid", "services.yaml is not a list of groups", {
      hint: "Homepage expects `- Group:` items at the top level; fix the file by hand, then apply again",
    });
  }
  return document.contents;
}

function ensureTopLevel(document: Document): YAMLSeq {
  const existing = topLevel(document);
  if (existing) return existing;
  const seq = new YAMLSeq();
  document.contents = seq;
  return seq;
}
