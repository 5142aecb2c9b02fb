import type { z } from "zod";
import { redactor } from "../secrets/redactor.ts";
import type { PendingIssue } from "./config-issue.ts";
import type { RuleParams } from "./field-info.ts";
import { closestKey } from "./key-suggestion.ts";
import { descriptionOf, fieldInfoOf, knownKeys, schemaAt } from "./schema-walk.ts";
import { LITERAL_CREDENTIAL, LITERAL_CREDENTIAL_HINT } from "./secret-fields.ts";

type Path = (string | number)[];

const EXPECTED_BY_ZOD_TYPE: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
  record: "a mapping",
};

function valueAt(input: unknown, path: readonly (string | number)[]): unknown {
  let value = input;
  for (const segment of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = Object.hasOwn(value, segment) ? (value as Record<string | number, unknown>)[segment] : undefined;
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value === null) return "nothing";
  if (Array.isArray(value)) return "a list";
  switch (typeof value) {
    case "string":
      return "text";
    case "number":
      return "a number";
    case "boolean":
      return "true/false";
    case "object":
      return "a mapping";
    default:
      return typeof value;
  }
}

/**
 * Turns zod's issues into PendingIssues with a rule, a message that names what the field expects
 * (from the schema, never from the value) and a hint. Union failures are narrowed to the option
 * whose type matched, so `pin: [bad]` reports the bad item, not "invalid input".
 */
export class ZodIssueTranslator {
  readonly #schema: z.ZodType;
  readonly #input: unknown;

  constructor(schema: z.ZodType, input: unknown) {
    this.#schema = schema;
    this.#input = input;
  }

  translate(issues: readonly z.core.$ZodIssue[], base: Path = []): PendingIssue[] {
    return issues.flatMap((issue) => this.#translateOne(issue, [...base, ...(issue.path as Path)]));
  }

  #expected(path: Path, fallback: string): string {
    const schema = schemaAt(this.#schema, path);
    return (schema && fieldInfoOf(schema)?.expected) ?? EXPECTED_BY_ZOD_TYPE[fallback] ?? fallback;
  }

  #describedHint(path: Path): { hint?: string } {
    const schema = schemaAt(this.#schema, path);
    const description = schema ? descriptionOf(schema) : undefined;
    return description ? { hint: description } : {};
  }

  #translateOne(issue: z.core.$ZodIssue, path: Path): PendingIssue[] {
    const value = valueAt(this.#input, path);
    switch (issue.code) {
      case "custom": {
        const params = (issue.params ?? {}) as Partial<RuleParams>;
        const pending: PendingIssue = {
          path,
          rule: params.rule ?? "invalid-value",
          predicate: issue.message,
        };
        return [params.hint ? { ...pending, hint: params.hint } : pending];
      }
      case "unrecognized_keys":
        return issue.keys.map((key) => this.#unknownKey(path, key));
      case "invalid_key": {
        const inner = this.translate(issue.issues, []);
        const first = inner[0];
        return [
          {
            path,
            rule: first?.rule ?? "invalid-key",
            predicate: `is not an allowed key: ${first?.predicate ?? "it is malformed"}`,
            target: "key",
          },
        ];
      }
      case "invalid_type":
        return [this.#invalidType(path, issue.expected, value)];
      case "invalid_value": {
        if (value === undefined)
          return [{ path, rule: "missing-key", predicate: "is required", ...this.#describedHint(path) }];
        const options = issue.values.map((option) => String(option));
        const predicate =
          options.length === 1 ? `must be ${options[0]}` : `must be one of: ${options.join(", ")}`;
        return [{ path, rule: "invalid-value", predicate, ...this.#describedHint(path) }];
      }
      case "invalid_union":
        return this.#invalidUnion(issue, path, value);
      case "too_small":
      case "too_big":
        return [this.#outOfRange(issue, path)];
      default:
        return [{ path, rule: "invalid-value", predicate: `is not valid (${issue.message})` }];
    }
  }

  #unknownKey(path: Path, key: string): PendingIssue {
    const parent = schemaAt(this.#schema, path);
    const known = parent ? knownKeys(parent) : [];
    const suggestion = closestKey(key, known);
    const hint = suggestion
      ? `did you mean ${suggestion}?`
      : known.length > 0
        ? `known keys here: ${known.join(", ")}`
        : undefined;
    const pending: PendingIssue = {
      path: [...path, key],
      rule: "unknown-key",
      predicate: "is not a known key",
      target: "key",
    };
    return hint ? { ...pending, hint } : pending;
  }

  #invalidType(path: Path, expected: string, value: unknown): PendingIssue {
    if (value === undefined)
      return { path, rule: "missing-key", predicate: "is required", ...this.#describedHint(path) };
    const schema = schemaAt(this.#schema, path);
    if (
      schema &&
      fieldInfoOf(schema)?.credential &&
      (typeof value === "number" || typeof value === "string")
    ) {
      redactor.register(String(value));
      return {
        path,
        rule: "literal-credential",
        predicate: LITERAL_CREDENTIAL,
        hint: LITERAL_CREDENTIAL_HINT,
      };
    }
    return {
      path,
      rule: "wrong-type",
      predicate: `must be ${this.#expected(path, expected)} (found ${describeValue(value)})`,
      ...this.#describedHint(path),
    };
  }

  #invalidUnion(
    issue: z.core.$ZodIssue & { code: "invalid_union" },
    path: Path,
    value: unknown,
  ): PendingIssue[] {
    if ("discriminator" in issue && issue.discriminator !== undefined && issue.errors.length === 0) {
      const choices = (("options" in issue ? issue.options : undefined) ?? []).map(String).join(", ");
      if (value === undefined)
        return [{ path, rule: "missing-key", predicate: `is required: one of ${choices}` }];
      return [{ path, rule: "invalid-value", predicate: `must be one of: ${choices}` }];
    }
    // An option whose failures are all below the root accepted the value's type: its issues are the real ones.
    const matching = issue.errors.find((errors) =>
      errors.every((error) => error.path.length > 0 || error.code !== "invalid_type"),
    );
    if (matching) return this.translate(matching, path);
    return [this.#invalidType(path, "a valid value", value)];
  }

  #outOfRange(issue: z.core.$ZodIssue & { code: "too_small" | "too_big" }, path: Path): PendingIssue {
    const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
    const inclusive = issue.inclusive !== false;
    switch (issue.origin) {
      case "array":
        return issue.code === "too_small"
          ? {
              path,
              rule: "too-few-items",
              predicate: `must have at least ${bound} item${bound === 1 ? "" : "s"}`,
            }
          : { path, rule: "too-many-items", predicate: `must have at most ${bound} items` };
      case "string":
        return issue.code === "too_small"
          ? { path, rule: "too-short", predicate: `must be at least ${bound} characters` }
          : { path, rule: "too-long", predicate: `must be at most ${bound} characters` };
      default: {
        const comparison =
          issue.code === "too_small"
            ? inclusive
              ? "at least"
              : "more than"
            : inclusive
              ? "at most"
              : "less than";
        return {
          path,
          rule: "out-of-range",
          predicate: `must be ${comparison} ${bound}`,
          ...this.#describedHint(path),
        };
      }
    }
  }
}
