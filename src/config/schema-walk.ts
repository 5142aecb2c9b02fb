import type { z } from "zod";
import { type FieldInfo, fieldInfo } from "./field-info.ts";

/**
 * Read-only walks over a zod schema: which schema describes the value at a path, what it is
 * called, what it expects. Used to phrase messages ("did you mean href?", "must be a duration")
 * and to generate the reference doc, so both come from the one schema.
 */
export interface SchemaDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  getter?: () => z.ZodType;
  values?: unknown[];
  entries?: Record<string, unknown>;
  defaultValue?: unknown;
}

export function defOf(schema: z.ZodType): SchemaDef {
  return schema._zod.def as unknown as SchemaDef;
}

const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "readonly", "catch", "nonoptional"]);

/** The schema and everything it wraps, outermost first, down to the schema of the value's shape. */
export function unwrapChain(schema: z.ZodType): z.ZodType[] {
  const chain: z.ZodType[] = [schema];
  let current = schema;
  for (;;) {
    const def = defOf(current);
    const next = WRAPPERS.has(def.type)
      ? def.innerType
      : def.type === "pipe"
        ? def.in
        : def.type === "lazy"
          ? def.getter?.()
          : undefined;
    if (next === undefined) return chain;
    chain.push(next);
    current = next;
  }
}

export function innermost(schema: z.ZodType): z.ZodType {
  return unwrapChain(schema).at(-1) as z.ZodType;
}

export function isNever(schema: z.ZodType | undefined): boolean {
  return schema === undefined || defOf(schema).type === "never";
}

/** The schema of `value[key]` when `schema` describes `value`. */
export function childSchema(schema: z.ZodType, key: string | number): z.ZodType | undefined {
  const inner = innermost(schema);
  const def = defOf(inner);
  switch (def.type) {
    case "object": {
      const field = typeof key === "string" && def.shape ? def.shape[key] : undefined;
      return field ?? (isNever(def.catchall) ? undefined : def.catchall);
    }
    case "array":
      return typeof key === "number" ? def.element : undefined;
    case "record":
      return def.valueType;
    case "union":
      for (const option of def.options ?? []) {
        const found = childSchema(option, key);
        if (found) return found;
      }
      return undefined;
    default:
      return undefined;
  }
}

export function schemaAt(root: z.ZodType, path: readonly (string | number)[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = root;
  for (const key of path) {
    if (current === undefined) return undefined;
    current = childSchema(current, key);
  }
  return current;
}

/** Keys an object schema (or any option of a union of objects) accepts. */
export function knownKeys(schema: z.ZodType): string[] {
  const def = defOf(innermost(schema));
  if (def.type === "object") return Object.keys(def.shape ?? {});
  if (def.type === "union") return [...new Set((def.options ?? []).flatMap(knownKeys))];
  return [];
}

export function fieldInfoOf(schema: z.ZodType): FieldInfo | undefined {
  for (const link of unwrapChain(schema)) {
    const info = fieldInfo.get(link);
    if (info) return info;
  }
  return undefined;
}

export function descriptionOf(schema: z.ZodType): string | undefined {
  for (const link of unwrapChain(schema)) {
    if (link.description) return link.description;
  }
  return undefined;
}
