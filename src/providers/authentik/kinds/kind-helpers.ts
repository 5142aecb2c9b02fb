import type { z } from "zod";
import type { FieldChange } from "../../../engine/field-diff.ts";
import { AutopilotError } from "../../../errors/autopilot-error.ts";

/** The top-level fields a set of changes touches, with their desired values: a minimal PATCH. */
export function patchOf<T extends Record<string, unknown>>(
  spec: T,
  changes: readonly FieldChange[],
): Partial<T> {
  const fields = new Set(changes.map((change) => change.path.split(".")[0] as keyof T));
  const body: Partial<T> = {};
  for (const field of fields) body[field] = spec[field];
  return body;
}

/**
 * Checks an object the generated client returned against the fields Autopilot relies on
 * (hard rule 3: answers from outside are parsed before use). Extra fields pass through.
 */
export function observed<S extends z.ZodType>(schema: S, what: string, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new AutopilotError(
      "invalid",
      `authentik returned a ${what} Autopilot cannot read: ${issue?.path.join(".")} ${issue?.message}`,
      {
        hint: "this usually means an Authentik version this build does not support; run `autopilot doctor`",
      },
    );
  }
  return result.data;
}
