/**
 * A small model of the Django REST Framework serializer fields behind the spec's request
 * schemas. The spec says what a valid body looks like; DRF also decides how a body is
 * *coerced* before validation (numbers become strings, "5" becomes 5, "" becomes null for a
 * relation) and which message each failure produces. Both depend on the kind of DRF field, which
 * this file derives from the schema.
 */
type Schema = Record<string, unknown>;

export type DrfField =
  | { kind: "string"; schema: Schema }
  | { kind: "choice"; schema: Schema }
  | { kind: "boolean"; schema: Schema }
  | { kind: "number"; schema: Schema }
  | { kind: "dict"; schema: Schema }
  /** PrimaryKeyRelatedField to an integer key. */
  | { kind: "integer-pk"; schema: Schema }
  /** PrimaryKeyRelatedField to a UUID key. */
  | { kind: "uuid-pk"; schema: Schema }
  /** ManyRelatedField: errors are a flat list for the first bad item. */
  | { kind: "many-pk"; schema: Schema; child: DrfField }
  /** ListField: errors are keyed by item index. */
  | { kind: "list"; schema: Schema; child: DrfField }
  /** A nested serializer with many=True: one error object per item. */
  | { kind: "nested-list"; schema: Schema; fields: DrfFields };

export type DrfFields = Record<string, DrfField>;

export class DrfFieldModel {
  readonly #components: Record<string, unknown>;

  constructor(components: Record<string, unknown>) {
    this.#components = components;
  }

  /** The fields of a request body schema named `#/components/schemas/<name>`. */
  fieldsOf(ref: string): DrfFields {
    const schema = this.resolve({ $ref: ref });
    const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
    const fields: DrfFields = {};
    for (const [name, property] of Object.entries(properties)) {
      if (property.readOnly === true) continue;
      fields[name] = this.classify(property);
    }
    return fields;
  }

  /** Follows $ref and single-element allOf wrappers, keeping the outer keywords. */
  resolve(schema: Schema): Schema {
    let current = schema;
    for (;;) {
      if (typeof current.$ref === "string") {
        const name = current.$ref.replace("#/components/schemas/", "");
        const target = this.#components[name];
        if (!target) throw new Error(`unknown schema ${current.$ref}`);
        current = target as Schema;
      } else if (Array.isArray(current.allOf) && current.allOf.length === 1) {
        const { allOf, ...outer } = current;
        current = { ...this.resolve(allOf[0] as Schema), ...outer };
      } else {
        return current;
      }
    }
  }

  classify(property: Schema): DrfField {
    const schema = this.resolve(property);
    if (Array.isArray(schema.enum)) return { kind: "choice", schema };
    switch (schema.type) {
      case "array": {
        const items = this.resolve((schema.items as Schema | undefined) ?? {});
        if (items.type === "object" && items.properties) {
          return { kind: "nested-list", schema, fields: this.fieldsOfSchema(items) };
        }
        const child = this.classify(items);
        if (child.kind === "integer-pk" || child.kind === "uuid-pk")
          return { kind: "many-pk", schema, child };
        return { kind: "list", schema, child };
      }
      case "integer":
        // Every integer in the simulated request bodies is a relation (provider, users, user,
        // providers, backchannel_providers, jwt_federation_providers), so DRF treats it as a pk.
        return { kind: "integer-pk", schema };
      case "number":
        return { kind: "number", schema };
      case "boolean":
        return { kind: "boolean", schema };
      case "object":
        return { kind: "dict", schema };
      default:
        // Every UUID in the simulated request bodies names another object (flows, keys, groups,
        // mappings), so it is a relation as well.
        if (schema.format === "uuid") return { kind: "uuid-pk", schema };
        return { kind: "string", schema };
    }
  }

  private fieldsOfSchema(schema: Schema): DrfFields {
    const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
    return Object.fromEntries(Object.entries(properties).map(([name, p]) => [name, this.classify(p)]));
  }
}

const TRUE_VALUES = new Set<unknown>([
  "t",
  "T",
  "y",
  "Y",
  "yes",
  "Yes",
  "YES",
  "true",
  "True",
  "TRUE",
  "on",
  "On",
  "ON",
  "1",
  1,
  true,
]);
const FALSE_VALUES = new Set<unknown>([
  "f",
  "F",
  "n",
  "N",
  "no",
  "No",
  "NO",
  "false",
  "False",
  "FALSE",
  "off",
  "Off",
  "OFF",
  "0",
  0,
  false,
]);
const INTEGER_TEXT = /^\s*-?\d+(\.0*)?\s*$/;

/** Applies DRF's input coercions to a body, leaving anything invalid for the validator to flag. */
export function coerceBody(body: Record<string, unknown>, fields: DrfFields): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body };
  for (const [name, field] of Object.entries(fields)) {
    if (name in out) out[name] = coerceValue(out[name], field);
  }
  return out;
}

function coerceValue(value: unknown, field: DrfField): unknown {
  switch (field.kind) {
    case "string":
      if (typeof value === "number") return String(value);
      return typeof value === "string" ? value.trim() : value;
    case "choice":
      return typeof value === "number" ? String(value) : value;
    case "boolean":
      if (TRUE_VALUES.has(value)) return true;
      if (FALSE_VALUES.has(value)) return false;
      return value;
    case "integer-pk":
      // DRF turns "" into None for relations; a numeric string reaches the database as a number.
      if (value === "") return null;
      return typeof value === "string" && INTEGER_TEXT.test(value) ? Number.parseInt(value, 10) : value;
    case "uuid-pk":
      return value === "" ? null : value;
    case "many-pk":
      return Array.isArray(value) ? value.map((item) => coerceChild(item, field.child)) : value;
    case "list":
      return Array.isArray(value) ? value.map((item) => coerceValue(item, field.child)) : value;
    case "nested-list":
      return Array.isArray(value)
        ? value.map((item) => (isPlainObject(item) ? coerceBody(item, field.fields) : item))
        : value;
    default:
      return value;
  }
}

/** Items of a many-relation skip the "" → None rule: DRF hands them straight to the lookup. */
function coerceChild(value: unknown, child: DrfField): unknown {
  if (child.kind === "integer-pk" && typeof value === "string" && INTEGER_TEXT.test(value)) {
    return Number.parseInt(value, 10);
  }
  return value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Python's name for the type of a JSON value, as DRF messages print it. */
export function pythonType(value: unknown): string {
  if (value === null) return "NoneType";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "string") return "str";
  if (Array.isArray(value)) return "list";
  return "dict";
}

/** Python's str() of a JSON value, as DRF messages print it. */
export function pythonStr(value: unknown): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return JSON.stringify(value).replaceAll('"', "'");
}
