import { z } from "zod";
import { defOf, descriptionOf, innermost } from "./schema-walk.ts";

/** List items with one of these keys are merged item by item by an overlay (see overlay.ts). */
export const MERGE_KEYS = ["name", "username"] as const;

function describedLike<T extends z.ZodType>(schema: T, original: z.ZodType): T {
  const description = descriptionOf(original);
  return description === undefined ? schema : schema.describe(description);
}

function hasMergeKey(element: z.ZodType): boolean {
  const def = defOf(innermost(element));
  return def.type === "object" && MERGE_KEYS.some((key) => def.shape?.[key] !== undefined);
}

/**
 * The schema of an environment overlay: the same fields, all optional, `null` allowed (it removes
 * the key), defaults and cross-field checks dropped (they apply to the merged result, not to a
 * fragment). Lists merged by name get partial items; lists that are replaced keep full items.
 * Leaves keep their refinements, so a bad URL or a literal password is caught in the overlay too.
 */
export function deepPartial(schema: z.ZodType, inProgress = new Set<z.ZodType>()): z.ZodType {
  const def = defOf(schema);
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
      return describedLike(deepPartial(def.innerType as z.ZodType, inProgress), schema);
    case "pipe":
      return describedLike(deepPartial(def.in as z.ZodType, inProgress), schema);
    case "object": {
      if (inProgress.has(schema)) return schema;
      inProgress.add(schema);
      const shape: Record<string, z.ZodType> = {};
      for (const [key, field] of Object.entries(def.shape ?? {})) {
        shape[key] = describedLike(deepPartial(field, inProgress).nullable().optional(), field);
      }
      inProgress.delete(schema);
      const object = def.catchall ? z.object(shape).catchall(def.catchall) : z.strictObject(shape);
      return describedLike(object, schema);
    }
    case "array":
      return hasMergeKey(def.element as z.ZodType)
        ? describedLike(z.array(deepPartial(def.element as z.ZodType, inProgress)), schema)
        : schema;
    case "union": {
      const options = (def.options ?? []).map((option) => deepPartial(option, inProgress));
      return describedLike(z.union(options as [z.ZodType, z.ZodType, ...z.ZodType[]]), schema);
    }
    default:
      return schema;
  }
}
