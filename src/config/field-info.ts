import { z } from "zod";

/**
 * What a field holds, in words a person reads in an error message or the reference doc. Kept in
 * a registry beside the schema (zod inherits registry entries through `.describe()` clones), so
 * the primitives say once what they are and every message and table can reuse it.
 */
export interface FieldInfo {
  /** Short type label for the reference table, e.g. "duration". */
  type: string;
  /** Phrase completing "must be …", e.g. "a duration like 30s, 10m or 1h30m". */
  expected: string;
  /** The field holds a credential: anything but a secret reference is a literal credential. */
  credential?: boolean;
}

export const fieldInfo = z.registry<FieldInfo>();

/** Registers what a primitive holds and returns it, so a field is declared in one expression. */
export function withInfo<T extends z.ZodType>(schema: T, info: FieldInfo): T {
  fieldInfo.add(schema, info);
  return schema;
}

/** Parameters a refinement attaches to its issue; read back when issues become ConfigIssues. */
export interface RuleParams {
  rule: string;
  hint?: string;
}

/**
 * Reports a broken rule from inside a refinement. `predicate` completes a sentence whose subject
 * is the field ("must use https"), and never repeats the value: it may be a secret.
 */
export function reportRule(
  ctx: z.RefinementCtx,
  rule: string,
  predicate: string,
  options: { hint?: string; path?: (string | number)[] } = {},
): void {
  const params: RuleParams = options.hint === undefined ? { rule } : { rule, hint: options.hint };
  ctx.addIssue({
    code: "custom",
    message: predicate,
    params,
    ...(options.path ? { path: options.path } : {}),
  });
}
