/**
 * OpenAPI 3.0 schemas are almost JSON Schema, but not quite: `nullable` is a sibling keyword,
 * `readOnly` properties are not sent in requests (so they cannot be required there), and
 * `writeOnly` properties are never returned (so they cannot be required in responses). This
 * turns the spec's component schemas into plain JSON Schema for one direction, which ajv
 * validates without OpenAPI-specific options.
 */
export type Direction = "request" | "response";

type Schema = Record<string, unknown>;

/** The `$id` under which a direction's converted components are registered with ajv. */
export function documentId(direction: Direction): string {
  return `authentik-${direction}.json`;
}

export function convertComponents(schemas: Record<string, unknown>, direction: Direction): Schema {
  const converted: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(schemas)) converted[name] = convertSchema(schema, direction);
  return { $id: documentId(direction), components: { schemas: converted } };
}

export function convertSchema(node: unknown, direction: Direction): unknown {
  if (Array.isArray(node)) return node.map((item) => convertSchema(item, direction));
  if (node === null || typeof node !== "object") return node;
  const schema = node as Schema;
  if (typeof schema.$ref === "string") {
    // In OpenAPI 3.0 every keyword beside $ref is ignored.
    return { $ref: `${documentId(direction)}${schema.$ref}` };
  }

  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "nullable" || key === "example" || key === "discriminator") continue;
    if (key === "properties") out.properties = convertProperties(value as Record<string, Schema>, direction);
    else if (key === "required") out.required = requiredFor(schema, direction);
    else if (SUBSCHEMA_KEYWORDS.has(key)) out[key] = convertSchema(value, direction);
    else out[key] = value;
  }
  if (schema.nullable === true) return allowNull(out);
  return out;
}

const SUBSCHEMA_KEYWORDS = new Set(["items", "allOf", "oneOf", "anyOf", "not", "additionalProperties"]);

function convertProperties(properties: Record<string, Schema>, direction: Direction): Schema {
  const out: Schema = {};
  for (const [name, property] of Object.entries(properties)) {
    // The server ignores read-only fields it receives, so a request may carry anything there.
    if (direction === "request" && property.readOnly === true) continue;
    out[name] = convertSchema(property, direction);
  }
  return out;
}

function requiredFor(schema: Schema, direction: Direction): string[] {
  const required = (schema.required as string[] | undefined) ?? [];
  const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
  const skipped = direction === "request" ? "readOnly" : "writeOnly";
  return required.filter((name) => properties[name]?.[skipped] !== true);
}

function allowNull(schema: Schema): Schema {
  if (typeof schema.type === "string" && !("allOf" in schema) && !("oneOf" in schema)) {
    const widened: Schema = { ...schema, type: [schema.type, "null"] };
    if (Array.isArray(schema.enum)) widened.enum = [...schema.enum, null];
    return widened;
  }
  return { anyOf: [schema, { type: "null" }] };
}
