import type { Position } from "./config-issue.ts";

/**
 * The YAML document as plain data that still knows where every value was written. Overlays are
 * merged on this tree, so a merged value keeps the position of the text it came from (the base
 * or the environment block) and an error in the merged config points at the right line.
 */
export type SourceNode = SourceMap | SourceSeq | SourceScalar;

export interface SourceMap {
  kind: "map";
  at: Position;
  entries: Map<string, SourceEntry>;
}

export interface SourceEntry {
  key: string;
  keyAt: Position;
  value: SourceNode;
}

export interface SourceSeq {
  kind: "seq";
  at: Position;
  items: SourceNode[];
}

export type ScalarValue = string | number | boolean | null;

export interface SourceScalar {
  kind: "scalar";
  at: Position;
  value: ScalarValue;
}

/** The plain value zod validates. */
export function toPlain(node: SourceNode): unknown {
  switch (node.kind) {
    case "scalar":
      return node.value;
    case "seq":
      return node.items.map(toPlain);
    case "map": {
      const object: Record<string, unknown> = {};
      for (const [key, entry] of node.entries) {
        // defineProperty: a key named __proto__ must stay data, not change the prototype
        Object.defineProperty(object, key, {
          value: toPlain(entry.value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return object;
    }
  }
}

export interface Located {
  at: Position;
  /** False when the path leads past the tree (a missing key): `at` is the deepest node found. */
  found: boolean;
}

/**
 * Where the value at `path` was written. With `target: "key"`, the key's own position (for an
 * unknown or invalid key). A path that goes past the tree ends at the deepest existing node,
 * which for a missing key is the mapping that should contain it.
 */
export function locate(
  root: SourceNode,
  path: readonly (string | number)[],
  target: "key" | "value" = "value",
): Located {
  let node = root;
  for (let index = 0; index < path.length; index++) {
    const segment = path[index] as string | number;
    const isLast = index === path.length - 1;
    if (node.kind === "map") {
      const entry = node.entries.get(String(segment));
      if (entry === undefined) return { at: node.at, found: false };
      if (isLast && target === "key") return { at: entry.keyAt, found: true };
      node = entry.value;
    } else if (node.kind === "seq" && typeof segment === "number" && segment < node.items.length) {
      node = node.items[segment] as SourceNode;
    } else {
      return { at: node.at, found: false };
    }
  }
  return { at: node.at, found: true };
}

/** The node at `path`, if the path exists. */
export function nodeAt(root: SourceNode, path: readonly (string | number)[]): SourceNode | undefined {
  let node: SourceNode | undefined = root;
  for (const segment of path) {
    if (node?.kind === "map") node = node.entries.get(String(segment))?.value;
    else if (node?.kind === "seq" && typeof segment === "number") node = node.items[segment];
    else return undefined;
  }
  return node;
}
