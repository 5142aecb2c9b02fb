import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import ajvFormats from "ajv-formats";
import { z } from "zod";
import {
  SCHEMA_DEVIATIONS,
  type SchemaObject,
  UNDECLARED_STATUSES,
  type ValidationSide,
} from "./spec-deviations.ts";

/**
 * Validates what the Grafana simulator receives and sends against Grafana's own OpenAPI subset
 * (OpenAPI 3.0, converted here to the JSON Schema ajv understands: `nullable`, `readOnly` /
 * `writeOnly`, `$ref` into components, int64/double formats). Request violations become the 400
 * Grafana answers when it cannot bind a body; response violations are simulator bugs and throw.
 * The documented server/spec differences live in spec-deviations.ts, nowhere else.
 */
const API_PREFIX = "/api";
const SPEC_PATH = new URL("./openapi.json", import.meta.url);
const DROPPED_KEYWORDS = new Set([
  "example",
  "deprecated",
  "description",
  "nullable",
  "readOnly",
  "writeOnly",
  "xml",
]);
const NUMBER_FORMATS = ["int32", "int64", "float", "double"];

const mediaSchema = z.object({ schema: z.unknown().optional() }).loose();
const responseSchema = z.object({ content: z.record(z.string(), mediaSchema).optional() }).loose();
const operationSchema = z
  .object({
    operationId: z.string(),
    requestBody: z
      .object({ content: z.record(z.string(), mediaSchema) })
      .loose()
      .optional(),
    responses: z.record(z.string(), responseSchema),
  })
  .loose();
const documentSchema = z
  .object({
    openapi: z.string().startsWith("3.0"),
    paths: z.record(z.string(), z.record(z.string(), z.unknown())),
    components: z.object({ schemas: z.record(z.string(), z.record(z.string(), z.unknown())) }).loose(),
  })
  .loose();

export type OpenApiDocument = z.infer<typeof documentSchema>;

export interface SpecOperation {
  operationId: string;
  method: string;
  /** The path as Grafana serves it, e.g. /api/datasources/uid/{uid}. */
  pathTemplate: string;
  requestSchema: unknown;
  responses: Map<string, { schema: unknown }>;
  pattern: RegExp;
  parameterCount: number;
}

export class SpecViolation extends Error {
  override readonly name = "SpecViolation";
}

export function loadGrafanaSpec(): OpenApiDocument {
  return documentSchema.parse(JSON.parse(readFileSync(SPEC_PATH, "utf8")));
}

export class GrafanaSpecValidator {
  readonly #operations: SpecOperation[] = [];
  readonly #ajv = new Ajv({ strict: false, allErrors: true });
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor(document: OpenApiDocument = loadGrafanaSpec()) {
    ajvFormats.default(this.#ajv, ["date-time", "date", "uri", "email"]);
    for (const format of NUMBER_FORMATS) {
      this.#ajv.addFormat(format, { type: "number", validate: (value: number) => Number.isFinite(value) });
    }
    for (const side of ["request", "response"] as const) {
      this.#ajv.addSchema({ components: { schemas: sideSchemas(document, side) } }, `grafana-${side}`);
    }
    for (const [template, methods] of Object.entries(document.paths)) {
      for (const [method, raw] of Object.entries(methods)) {
        const parsed = operationSchema.safeParse(raw);
        if (!parsed.success) continue; // path-level `parameters`, not an operation
        this.#operations.push(toOperation(method, template, parsed.data));
      }
    }
    // Literal segments win over parameters: /serviceaccounts/search before /serviceaccounts/{id}.
    this.#operations.sort((a, b) => a.parameterCount - b.parameterCount);
  }

  get operations(): readonly SpecOperation[] {
    return this.#operations;
  }

  operationFor(method: string, path: string): SpecOperation | undefined {
    const upper = method.toUpperCase();
    return this.#operations.find((op) => op.method === upper && op.pattern.test(path));
  }

  /**
   * Compiles every operation's validators now (a long-running sandbox does this before it
   * answers, so no request pays a compile inside its simulated latency).
   */
  compileAll(): void {
    for (const operation of this.#operations) {
      if (operation.requestSchema !== undefined)
        this.#compile(`request:${operation.operationId}`, "request", operation.requestSchema);
      for (const [status, { schema }] of operation.responses)
        if (schema !== undefined)
          this.#compile(`response:${operation.operationId}:${status}`, "response", schema);
    }
  }

  /** How many validators are compiled so far. */
  get compiledCount(): number {
    return this.#compiled.size;
  }

  /** Why the body would not bind, or an empty list when it is acceptable (or the operation takes none). */
  requestErrors(operation: SpecOperation, body: unknown): string[] {
    if (operation.requestSchema === undefined) return [];
    const validate = this.#compile(`request:${operation.operationId}`, "request", operation.requestSchema);
    return validate(body) ? [] : describe(validate.errors);
  }

  /** Throws SpecViolation when the simulator answered something Grafana's spec does not allow. */
  assertResponse(operation: SpecOperation, status: number, body: unknown): void {
    const where = `${operation.method} ${operation.pathTemplate} -> ${status}`;
    const declared = operation.responses.get(String(status)) ?? operation.responses.get("default");
    let schema: unknown;
    if (declared) {
      schema = declared.schema;
    } else if (
      UNDECLARED_STATUSES.some((u) => u.operationId === operation.operationId && u.status === status)
    ) {
      schema = { $ref: "#/components/schemas/ErrorResponseBody" };
    } else {
      throw new SpecViolation(`${where}: status not declared by the spec`);
    }
    if (schema === undefined) {
      if (body !== undefined)
        throw new SpecViolation(`${where}: the spec declares no body, the simulator sent one`);
      return;
    }
    if (body === undefined)
      throw new SpecViolation(`${where}: the spec declares a JSON body, the simulator sent none`);
    const validate = this.#compile(`response:${operation.operationId}:${status}`, "response", schema);
    if (!validate(body)) {
      throw new SpecViolation(`${where}: response breaks the spec: ${describe(validate.errors).join("; ")}`);
    }
  }

  #compile(key: string, side: ValidationSide, schema: unknown): ValidateFunction {
    let validate = this.#compiled.get(key);
    if (!validate) {
      validate = this.#ajv.compile(convertSchema(schema, side) as SchemaObject);
      this.#compiled.set(key, validate);
    }
    return validate;
  }
}

function toOperation(method: string, template: string, op: z.infer<typeof operationSchema>): SpecOperation {
  const fullTemplate = `${API_PREFIX}${template}`;
  const source = fullTemplate
    .split("/")
    .map((segment) => (segment.startsWith("{") ? "[^/]+" : segment.replace(/[.*+?^$()|[\]\\]/g, "\\$&")))
    .join("/");
  const responses = new Map<string, { schema: unknown }>();
  for (const [status, response] of Object.entries(op.responses)) {
    responses.set(status, { schema: response.content?.["application/json"]?.schema });
  }
  return {
    operationId: op.operationId,
    method: method.toUpperCase(),
    pathTemplate: fullTemplate,
    requestSchema: op.requestBody?.content["application/json"]?.schema,
    responses,
    pattern: new RegExp(`^${source}$`),
    parameterCount: (template.match(/\{/g) ?? []).length,
  };
}

/** The component schemas as one side sees them: deviations applied, then converted to JSON Schema. */
function sideSchemas(document: OpenApiDocument, side: ValidationSide): Record<string, unknown> {
  const schemas = structuredClone(document.components.schemas) as Record<string, SchemaObject>;
  for (const deviation of SCHEMA_DEVIATIONS) {
    if (deviation.side !== side && deviation.side !== "both") continue;
    const target = schemas[deviation.schema];
    if (!target) throw new Error(`spec deviation names a schema the spec lacks: ${deviation.schema}`);
    deviation.apply(target);
  }
  return Object.fromEntries(
    Object.entries(schemas).map(([name, schema]) => [name, convertSchema(schema, side)]),
  );
}

/**
 * OpenAPI 3.0 schema -> JSON Schema for one side. readOnly properties are accepted but not
 * required in requests; writeOnly properties are forbidden in responses, so a leaked secret
 * field is a spec violation.
 */
export function convertSchema(node: unknown, side: ValidationSide): unknown {
  if (Array.isArray(node)) return node.map((item) => convertSchema(item, side));
  if (typeof node !== "object" || node === null) return node;
  const source = node as SchemaObject;
  const out: SchemaObject = {};
  const hiddenRequired = new Set<string>();
  for (const [key, value] of Object.entries(source)) {
    if (DROPPED_KEYWORDS.has(key) || key.startsWith("x-")) continue;
    if (key === "$ref" && typeof value === "string" && value.startsWith("#/")) {
      out.$ref = `grafana-${side}${value}`;
    } else if (key === "properties" && typeof value === "object" && value !== null) {
      const properties: SchemaObject = {};
      for (const [name, raw] of Object.entries(value as Record<string, SchemaObject>)) {
        const readOnlyInRequest = side === "request" && raw.readOnly === true;
        const writeOnlyInResponse = side === "response" && raw.writeOnly === true;
        if (readOnlyInRequest || writeOnlyInResponse) hiddenRequired.add(name);
        properties[name] = writeOnlyInResponse ? false : convertSchema(raw, side);
      }
      out.properties = properties;
    } else {
      out[key] = convertSchema(value, side);
    }
  }
  if (Array.isArray(out.required)) {
    const required = (out.required as string[]).filter((name) => !hiddenRequired.has(name));
    if (required.length > 0) out.required = required;
    else delete out.required;
  }
  if (source.nullable !== true) return out;
  if (typeof out.type === "string") {
    out.type = [out.type, "null"];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: "null" }] };
}

function describe(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => `${error.instancePath || "(body)"} ${error.message ?? "is invalid"}`);
}
