/**
 * Where Grafana 13's server and its published OpenAPI subset disagree, the simulator follows the
 * server (reference notes §14, checked against the Go handlers). Every difference is listed here,
 * one entry each, so the spec stays the default and each exception is visible and justified.
 * Nothing else in the simulator may loosen or tighten validation.
 */
export type SchemaObject = Record<string, unknown>;
export type ValidationSide = "request" | "response";

interface SchemaDeviation {
  schema: string;
  side: ValidationSide | "both";
  why: string;
  apply(schema: SchemaObject): void;
}

/**
 * Grafana's web.Bind enforces `binding:"Required"` by comparing with the zero value, so the
 * field must be present and, for a string, not "".
 */
function bindingRequired(...names: string[]): (schema: SchemaObject) => void {
  return (schema) => {
    const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
    schema.required = [...new Set([...required, ...names])];
    const properties = schema.properties as Record<string, SchemaObject>;
    for (const name of names) {
      const current = property(schema, name);
      properties[name] =
        current.$ref === undefined ? { ...current, minLength: 1 } : { allOf: [current], minLength: 1 };
    }
  };
}

function dropRequired(...names: string[]): (schema: SchemaObject) => void {
  return (schema) => {
    const remaining = ((schema.required as string[] | undefined) ?? []).filter(
      (name) => !names.includes(name),
    );
    if (remaining.length > 0) schema.required = remaining;
    else delete schema.required;
  };
}

function property(schema: SchemaObject, name: string): SchemaObject {
  const properties = schema.properties as Record<string, SchemaObject>;
  const found = properties[name];
  if (!found) throw new Error(`spec deviation names a property the spec lacks: ${name}`);
  return found;
}

export const SCHEMA_DEVIATIONS: readonly SchemaDeviation[] = [
  {
    schema: "PostDashboardOKBody",
    side: "response",
    why: "the save handler sends `slug` (and `folderUid`), never the `title` the spec requires",
    apply: dropRequired("title"),
  },
  {
    schema: "AddDataSourceCommand",
    side: "request",
    why: 'Go binds `type` and `access` with binding:"Required"; a body without them is "bad request data"',
    apply: bindingRequired("type", "access"),
  },
  {
    schema: "UpdateDataSourceCommand",
    side: "request",
    why: "`name` is required on update (reference §14)",
    apply: bindingRequired("name"),
  },
  {
    schema: "CreateServiceAccountForm",
    side: "request",
    why: 'Go binds `name` with binding:"Required"',
    apply: bindingRequired("name"),
  },
  {
    schema: "CreateServiceAccountForm",
    side: "request",
    why: 'role binds as any string; the handler answers 400 "invalid role specified" (serviceaccounts.ErrInvalidRoleSpecified)',
    apply: (schema) => {
      delete property(schema, "role").enum;
    },
  },
  {
    schema: "UpdateServiceAccountForm",
    side: "request",
    why: "same as on create: an unknown role is the handler's errutil 400, not a bind failure",
    apply: (schema) => {
      delete property(schema, "role").enum;
    },
  },
  {
    schema: "AddServiceAccountTokenCommand",
    side: "request",
    why: 'Go binds `name` with binding:"Required"',
    apply: bindingRequired("name"),
  },
  {
    schema: "CreateTeamCommand",
    side: "request",
    why: 'the spec requires `name`; binding:"Required" also refuses ""',
    apply: bindingRequired("name"),
  },
  {
    schema: "ProvisionedAlertRule",
    side: "request",
    why: "the Go struct has no binding tags, and minLength/enum are swagger comments only: missing, empty or unknown values reach the service, which answers 400 'invalid alert rule: ...' (and accepts KeepLast, which the enum lacks)",
    apply: (schema) => {
      dropRequired(
        "condition",
        "data",
        "execErrState",
        "folderUID",
        "for",
        "noDataState",
        "orgID",
        "ruleGroup",
        "title",
      )(schema);
      for (const name of ["title", "ruleGroup"]) delete property(schema, name).minLength;
      for (const name of ["noDataState", "execErrState"]) delete property(schema, name).enum;
    },
  },
  {
    schema: "ProvisionedAlertRule",
    side: "response",
    why: "Grafana 11+ also stores and returns KeepLast for both states, which the generated enum predates",
    apply: (schema) => {
      for (const name of ["noDataState", "execErrState"]) {
        const states = property(schema, name);
        states.enum = [...(states.enum as string[]), "KeepLast"];
      }
    },
  },
  {
    schema: "UserProfileDTO",
    side: "response",
    why: "for a service account GET /api/user builds the DTO in the handler and leaves authLabels a nil slice (null)",
    apply: (schema) => {
      property(schema, "authLabels").nullable = true;
    },
  },
  {
    schema: "Matchers",
    side: "both",
    why: 'declared as Matcher objects, but Grafana (de)serialises Prometheus matchers as strings ("a=b")',
    apply: (schema) => {
      schema.items = { anyOf: [{ type: "string" }, { $ref: "#/components/schemas/Matcher" }] };
    },
  },
];

/**
 * Statuses the server answers that the operation does not declare. Their bodies are checked
 * against the legacy/errutil error body instead of a declared schema.
 */
export const UNDECLARED_STATUSES: ReadonlyArray<{ operationId: string; status: number; why: string }> = [
  { operationId: "getTeamByID", status: 400, why: 'a team id that is not a number: "teamId is invalid"' },
  { operationId: "deleteTeamByID", status: 400, why: 'a team id that is not a number: "teamId is invalid"' },
  { operationId: "createFolder", status: 404, why: "a parentUid that does not exist: folder not found" },
  {
    operationId: "updateProviderSettings",
    status: 404,
    why: "an unknown provider: sso.notFound from Upsert",
  },
  {
    operationId: "RoutePostContactpoints",
    status: 500,
    why: "a uid already used: ErrResp(500) with the errutil text",
  },
  {
    operationId: "RoutePutContactpoint",
    status: 500,
    why: "provenance switch: 'cannot change provenance from ...'",
  },
  { operationId: "RouteDeleteContactpoints", status: 409, why: "a contact point a policy still routes to" },
  {
    operationId: "RoutePutAlertRule",
    status: 500,
    why: "provenance switch: 'cannot change provenance from ...'",
  },
  {
    operationId: "RouteDeleteAlertRule",
    status: 409,
    why: "deleting an 'api' rule with X-Disable-Provenance",
  },
];

/** The message of a body-bind failure, per operation where it differs from the usual lower-case one. */
export const BAD_REQUEST_MESSAGES: Readonly<Record<string, string>> = {
  createServiceAccount: "Bad request data",
  updateServiceAccount: "Bad request data",
  createToken: "Bad request data",
  updateProviderSettings: "Failed to parse request body",
};

export const DEFAULT_BAD_REQUEST_MESSAGE = "bad request data";
