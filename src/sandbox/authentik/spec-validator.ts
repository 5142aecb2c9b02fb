import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { coerceBody, DrfFieldModel } from "./drf-fields.ts";
import { type DrfErrorBody, drfErrorsFor } from "./drf-messages.ts";
import { convertComponents, type Direction, documentId } from "./openapi-to-json-schema.ts";
import type { OpenApiDocument } from "./spec-subset.ts";

/**
 * Validates what the simulator receives and sends against the vendor's OpenAPI document.
 * A bad request becomes the 400 the real server would send (DRF's field errors); a bad response
 * is a simulator bug and throws, so tests notice. Validators are compiled on first use and
 * cached per operation, because compiling all 80-odd schemas up front would slow every test's
 * start; `compileAll` is for the long-running sandbox.
 */
export interface OperationSpec {
  operationId: string;
  method: string;
  path: string;
  requestSchemaRef: string | undefined;
  responses: Record<string, string | undefined>;
}

export type RequestCheck =
  | { ok: true; data: Record<string, unknown> }
  | { ok: false; data: unknown; errors: DrfErrorBody };

export class SpecViolation extends Error {
  readonly operationId: string;
  readonly errors: ErrorObject[];

  constructor(operationId: string, status: number, errors: ErrorObject[], body: unknown) {
    const details = errors.map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`).join("; ");
    super(
      `simulator response for ${operationId} (${status}) violates the Authentik spec: ${details}\n` +
        `body: ${JSON.stringify(body).slice(0, 2000)}`,
    );
    this.name = "SpecViolation";
    this.operationId = operationId;
    this.errors = errors;
  }
}

const HTTP_METHODS = ["get", "post", "put", "patch", "delete"] as const;

export class SpecValidator {
  readonly #ajv: Ajv;
  readonly #operations = new Map<string, OperationSpec>();
  readonly #fields: DrfFieldModel;
  readonly #cache = new Map<string, ValidateFunction>();

  constructor(document: OpenApiDocument) {
    const schemas = (document.components.schemas ?? {}) as Record<string, unknown>;
    this.#fields = new DrfFieldModel(schemas);
    this.#ajv = new Ajv({ allErrors: true, strict: false, logger: false, formats: FORMATS });
    for (const direction of ["request", "response"] as Direction[]) {
      this.#ajv.addSchema(convertComponents(schemas, direction));
    }
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of HTTP_METHODS) {
        const operation = item[method] as Record<string, unknown> | undefined;
        if (!operation) continue;
        const spec = describeOperation(method, path, operation, document);
        this.#operations.set(spec.operationId, spec);
      }
    }
  }

  operations(): OperationSpec[] {
    return [...this.#operations.values()];
  }

  operation(operationId: string): OperationSpec {
    const spec = this.#operations.get(operationId);
    if (!spec) throw new Error(`the spec subset has no operation ${operationId}`);
    return spec;
  }

  /**
   * Compiles every operation's validators now (a long-running sandbox does this before it
   * answers, so no request pays a compile inside its simulated latency).
   */
  compileAll(): void {
    for (const operation of this.#operations.values()) {
      if (operation.requestSchemaRef)
        this.#compile(`request ${operation.requestSchemaRef}`, "request", operation.requestSchemaRef);
      for (const ref of Object.values(operation.responses))
        if (ref) this.#compile(`response ${ref}`, "response", ref);
    }
  }

  /** How many validators are compiled so far. */
  get compiledCount(): number {
    return this.#cache.size;
  }

  /** Coerces the body as DRF would and checks it; errors come back as DRF's 400 body. */
  checkRequest(operationId: string, body: unknown): RequestCheck {
    const ref = this.operation(operationId).requestSchemaRef;
    if (!ref) throw new Error(`${operationId} takes no request body`);
    if (body === null || body === undefined || typeof body !== "object" || Array.isArray(body)) {
      return { ok: false, data: body, errors: drfErrorsFor(body, [], {}) };
    }
    const fields = this.#fields.fieldsOf(ref);
    const data = coerceBody(body as Record<string, unknown>, fields);
    const validate = this.#compile(`request ${ref}`, "request", ref);
    if (validate(data)) return { ok: true, data };
    return { ok: false, data, errors: drfErrorsFor(data, validate.errors ?? [], fields) };
  }

  /** Throws SpecViolation when a JSON body does not match the documented response. */
  checkResponse(operationId: string, status: number, body: unknown): void {
    const ref = this.operation(operationId).responses[String(status)];
    if (!ref) return; // undocumented status (404 for most operations) or no body (204)
    const validate = this.#compile(`response ${ref}`, "response", ref);
    if (!validate(body)) throw new SpecViolation(operationId, status, validate.errors ?? [], body);
  }

  #compile(key: string, direction: Direction, ref: string): ValidateFunction {
    let validate = this.#cache.get(key);
    if (!validate) {
      validate = this.#ajv.compile({ $ref: `${documentId(direction)}${ref}` });
      this.#cache.set(key, validate);
    }
    return validate;
  }
}

function describeOperation(
  method: string,
  path: string,
  operation: Record<string, unknown>,
  document: OpenApiDocument,
): OperationSpec {
  const requestBody = operation.requestBody as
    | { content?: Record<string, { schema?: { $ref?: string } }> }
    | undefined;
  const responses: Record<string, string | undefined> = {};
  for (const [status, response] of Object.entries((operation.responses ?? {}) as Record<string, unknown>)) {
    responses[status] = responseSchemaRef(response, document);
  }
  return {
    operationId: String(operation.operationId),
    method: method.toUpperCase(),
    path,
    requestSchemaRef: requestBody?.content?.["application/json"]?.schema?.$ref,
    responses,
  };
}

function responseSchemaRef(response: unknown, document: OpenApiDocument): string | undefined {
  let current = response as { $ref?: string; content?: Record<string, { schema?: { $ref?: string } }> };
  if (current.$ref) {
    const name = current.$ref.replace("#/components/responses/", "");
    current = document.components.responses?.[name] as typeof current;
  }
  return current?.content?.["application/json"]?.schema?.$ref;
}

// Formats as Django validates them, not as the RFCs do: blank is allowed wherever the model
// says blank=True (the spec's minLength says when it is not), and hosts need no TLD
// ("http://grafana:3000" is a valid internal host).
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\/[^\s/?#]+([/?#]\S*)?$/i;
const EMAIL_LIKE = /^[^\s@]+@[^\s@]+$/;
const UUID_LIKE = /^(urn:uuid:)?\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i;
const DATETIME_LIKE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

const FORMATS = {
  uri: (value: string) => value === "" || URL_LIKE.test(value),
  email: (value: string) => value === "" || EMAIL_LIKE.test(value),
  uuid: (value: string) => UUID_LIKE.test(value),
  "date-time": (value: string) =>
    DATETIME_LIKE.test(value) && !Number.isNaN(Date.parse(value.replace(" ", "T"))),
  double: true,
  binary: true,
} as const;
