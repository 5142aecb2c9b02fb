import type { z } from "zod";
import { codePoints } from "../config/fields.ts";

/**
 * Labels are written by whoever wrote the container's compose file: untrusted. Values are
 * checked with the same field schemas as the config file, and before that every label Autopilot
 * reads must be one line of reasonable size without control or bidi characters.
 */
export const MAX_LABEL_VALUE_LENGTH = 4096;

/** C0/C1 controls, line separators and bidi overrides, as refused by the config's text fields. */
const UNSAFE = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** Why a label value cannot be read at all, or undefined. */
export function unreadableLabelValue(value: string): string | undefined {
  if (codePoints(value) > MAX_LABEL_VALUE_LENGTH)
    return `is longer than ${MAX_LABEL_VALUE_LENGTH} characters`;
  if (UNSAFE.test(value)) return "contains control characters or line breaks";
  return undefined;
}

/**
 * The first rule `value` breaks under a config field schema (its message completes "must …"
 * and never quotes the value), or undefined when it passes.
 */
export function fieldProblem(schema: z.ZodType, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  if (result.success) return undefined;
  return result.error.issues[0]?.message ?? "is invalid";
}
