import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import type { PendingIssue, Position } from "./config-issue.ts";
import type { ScalarValue, SourceEntry, SourceNode } from "./source-tree.ts";

export const MAX_CONFIG_BYTES = 2 * 1024 * 1024;
/** Nodes an alias may copy in total; a "billion laughs" file needs far more to do harm. */
export const MAX_ALIAS_NODES = 10_000;
export const MAX_DEPTH = 64;

const CORE_TAGS = new Set(
  ["str", "int", "float", "bool", "null", "map", "seq"].map((name) => `tag:yaml.org,2002:${name}`),
);

const RULE_BY_YAML_CODE: Record<string, string> = {
  DUPLICATE_KEY: "duplicate-key",
  TAG_RESOLVE_FAILED: "unknown-tag",
  MULTIPLE_DOCS: "multiple-documents",
  BAD_ALIAS: "bad-alias",
};

export type YamlSourceResult = { root: SourceNode; issues: [] } | { root: undefined; issues: PendingIssue[] };

class TooManyAliasNodes extends Error {}

/**
 * Parses YAML 1.2 (one document, unique keys) into a SourceNode tree. Parser errors and warnings,
 * tags outside the core schema, undefined or cyclic aliases and alias expansion beyond
 * MAX_ALIAS_NODES all become located issues; any of them stops the load.
 */
export function readYamlSource(text: string): YamlSourceResult {
  const lineCounter = new LineCounter();
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (Buffer.byteLength(text) > MAX_CONFIG_BYTES) {
    return fail([
      {
        path: [],
        rule: "file-too-large",
        predicate: `the file is larger than ${MAX_CONFIG_BYTES} bytes`,
        at: { line: 1, column: 1 },
      },
    ]);
  }
  let document: Document.Parsed;
  try {
    document = parseDocument(text, {
      lineCounter,
      version: "1.2",
      uniqueKeys: true,
      strict: true,
      prettyErrors: false,
    });
  } catch (error) {
    const predicate =
      error instanceof RangeError ? "the document is nested too deeply" : "the document cannot be parsed";
    return fail([{ path: [], rule: "yaml-syntax", predicate, at: { line: 1, column: 1 } }]);
  }
  const problems = [...document.errors, ...document.warnings].map(
    (problem): PendingIssue => ({
      path: [],
      rule: RULE_BY_YAML_CODE[problem.code] ?? "yaml-syntax",
      predicate: (problem.message.split("\n")[0] ?? problem.code).replace(/ at line \d+, column \d+:?$/, ""),
      at: position(problem.pos[0]),
    }),
  );
  if (document.directives.yaml.explicit && document.directives.yaml.version !== "1.2") {
    problems.push({
      path: [],
      rule: "yaml-version",
      predicate: "only YAML 1.2 is supported; remove the %YAML directive",
      at: { line: 1, column: 1 },
    });
  }
  if (problems.length > 0) return fail(problems);
  const contents = document.contents;
  if (contents === null || (isScalar(contents) && contents.value === null && !contents.tag)) {
    return fail([
      {
        path: [],
        rule: "empty-file",
        predicate: "the file is empty",
        hint: "start from examples/homelab.yaml: it needs at least apiVersion: autopilot/v1 and domain",
        at: { line: 1, column: 1 },
      },
    ]);
  }
  const builder = new SourceBuilder(document, position);
  let root: SourceNode | undefined;
  try {
    root = builder.build(contents, 0, new Set());
  } catch (error) {
    if (!(error instanceof TooManyAliasNodes)) throw error;
  }
  if (builder.issues.length > 0 || root === undefined) return fail(builder.issues);
  if (root.kind !== "map") {
    return fail([
      {
        path: [],
        rule: "not-a-mapping",
        predicate:
          "the file must be a mapping of settings (apiVersion: autopilot/v1, domain: ...), not a list or a single value",
        at: root.at,
      },
    ]);
  }
  return { root, issues: [] };
}

function fail(issues: PendingIssue[]): YamlSourceResult {
  return { root: undefined, issues };
}

class SourceBuilder {
  readonly issues: PendingIssue[] = [];
  #aliasNodes = 0;
  #aliasDepth = 0;
  /** The alias in the document body whose expansion is running: where a bomb is reported. */
  #outermostAlias: Position | undefined;
  readonly #document: Document.Parsed;
  readonly #position: (offset: number) => Position;

  constructor(document: Document.Parsed, position: (offset: number) => Position) {
    this.#document = document;
    this.#position = position;
  }

  #report(rule: string, predicate: string, at: Position, hint?: string): void {
    this.issues.push(
      hint === undefined ? { path: [], rule, predicate, at } : { path: [], rule, predicate, at, hint },
    );
  }

  #at(node: Node): Position {
    return this.#position(node.range?.[0] ?? 0);
  }

  build(node: Node, depth: number, aliasStack: Set<Node>, emptyAt?: Position): SourceNode {
    const at = this.#at(node);
    if (this.#aliasDepth > 0 && ++this.#aliasNodes > MAX_ALIAS_NODES) {
      this.#report(
        "alias-bomb",
        `aliases expand to more than ${MAX_ALIAS_NODES} values, which looks like an alias bomb`,
        this.#outermostAlias ?? at,
        "repeat the values instead of nesting aliases",
      );
      throw new TooManyAliasNodes();
    }
    if (depth > MAX_DEPTH) {
      this.#report("too-deep", `values are nested more than ${MAX_DEPTH} levels deep`, at);
      return { kind: "scalar", at, value: null };
    }
    if (isAlias(node)) return this.#buildAlias(node, depth, aliasStack, at);
    if (node.tag !== undefined && !CORE_TAGS.has(node.tag)) {
      this.#report(
        "unknown-tag",
        `the tag ${node.tag.replace(/^tag:yaml\.org,2002:/, "!!").slice(0, 60)} is not supported`,
        at,
        "remove the tag: only plain YAML values are accepted",
      );
      return { kind: "scalar", at, value: null };
    }
    if (isMap(node)) {
      const entries = new Map<string, SourceEntry>();
      for (const pair of node.items) {
        const entry = this.#buildEntry(
          pair.key as Node | null,
          pair.value as Node | null,
          at,
          depth,
          aliasStack,
        );
        if (entry === undefined) continue;
        if (entries.has(entry.key)) {
          this.#report("duplicate-key", "this key appears twice in the same mapping", entry.keyAt);
          continue;
        }
        entries.set(entry.key, entry);
      }
      return { kind: "map", at, entries };
    }
    if (isSeq(node)) {
      return {
        kind: "seq",
        at,
        items: node.items.map((item) => this.#buildItem(item as Node | null, at, depth, aliasStack)),
      };
    }
    if (isScalar(node)) {
      const value = node.value;
      if (
        value === null ||
        typeof value === "string" ||
        typeof value === "boolean" ||
        typeof value === "number"
      ) {
        const empty = value === null && node.source === "";
        return { kind: "scalar", at: empty && emptyAt ? emptyAt : at, value: value as ScalarValue };
      }
    }
    this.#report(
      "unsupported-value",
      "is not a plain YAML value (text, number, boolean, null, list or mapping)",
      at,
    );
    return { kind: "scalar", at, value: null };
  }

  #buildAlias(
    node: Node & { resolve(doc: Document): Node | undefined },
    depth: number,
    aliasStack: Set<Node>,
    at: Position,
  ): SourceNode {
    const target = node.resolve(this.#document);
    if (target === undefined) {
      this.#report("bad-alias", "refers to an anchor that is not defined before it", at);
      return { kind: "scalar", at, value: null };
    }
    if (aliasStack.has(target)) {
      this.#report("bad-alias", "refers to a value that contains this alias (a cycle)", at);
      return { kind: "scalar", at, value: null };
    }
    aliasStack.add(target);
    if (this.#aliasDepth === 0) this.#outermostAlias = at;
    this.#aliasDepth++;
    try {
      return this.build(target, depth, aliasStack);
    } finally {
      this.#aliasDepth--;
      aliasStack.delete(target);
    }
  }

  #buildItem(item: Node | null, parentAt: Position, depth: number, aliasStack: Set<Node>): SourceNode {
    return item === null
      ? { kind: "scalar", at: parentAt, value: null }
      : this.build(item, depth + 1, aliasStack);
  }

  #buildEntry(
    key: Node | null,
    value: Node | null,
    mapAt: Position,
    depth: number,
    aliasStack: Set<Node>,
  ): SourceEntry | undefined {
    const keyAt = key === null ? mapAt : this.#at(key);
    if (key === null || !isScalar(key)) {
      this.#report("invalid-key", "keys must be plain text, not lists, mappings or aliases", keyAt);
      return undefined;
    }
    const raw = key.value;
    if (raw === null || (typeof raw !== "string" && typeof raw !== "number" && typeof raw !== "boolean")) {
      this.#report("invalid-key", "keys must be plain text", keyAt);
      return undefined;
    }
    const text = typeof raw === "string" ? raw : (key.source ?? String(raw));
    const built =
      value === null
        ? { kind: "scalar" as const, at: keyAt, value: null }
        : this.build(value, depth + 1, aliasStack, keyAt);
    return { key: text, keyAt, value: built };
  }
}
