import { z } from "zod";
import { redactor } from "../secrets/redactor.ts";
import { parseSecretReference, SecretReferenceError } from "../secrets/reference.ts";
import { isCredentialKey } from "./credential-keys.ts";
import { reportRule, withInfo } from "./field-info.ts";
import { urlProblem } from "./url-field.ts";

export const LITERAL_CREDENTIAL =
  "holds a literal value; credentials must be secret references like ${secret:NAME}";
export const LITERAL_CREDENTIAL_HINT =
  "store the value with `autopilot secrets set NAME` (or use ${env:NAME}, ${file:PATH}, ${vault:PATH#KEY}) and write the reference here";

const REFERENCE_PATTERN = "^\\$\\{(secret|env|file|vault):[^}]+\\}$";

/**
 * Checks that `value` is a well-formed secret reference. A literal is reported without being
 * repeated and is registered with the redactor: it is a credential someone typed into the file,
 * so it must not appear in any output from here on.
 */
export function checkSecretReference(
  value: unknown,
  ctx: z.RefinementCtx,
  path: (string | number)[] = [],
): void {
  const options = path.length > 0 ? { path } : {};
  if (typeof value !== "string") {
    if (typeof value === "number" || typeof value === "bigint") redactor.register(String(value));
    reportRule(ctx, "literal-credential", LITERAL_CREDENTIAL, { ...options, hint: LITERAL_CREDENTIAL_HINT });
    return;
  }
  try {
    if (parseSecretReference(value) !== undefined) return;
  } catch (error) {
    const reason = error instanceof SecretReferenceError ? error.message : "it is malformed";
    reportRule(ctx, "invalid-secret-reference", `is not a valid secret reference: ${reason}`, options);
    return;
  }
  redactor.register(value);
  reportRule(ctx, "literal-credential", LITERAL_CREDENTIAL, { ...options, hint: LITERAL_CREDENTIAL_HINT });
}

/** A credential: only a secret reference, never the value itself. */
export const secretRef = withInfo(
  z
    .string()
    .superRefine((value, ctx) => checkSecretReference(value, ctx))
    .meta({ pattern: REFERENCE_PATTERN, examples: ["${secret:grafana_token}"] }),
  { type: "secret ref", expected: "a secret reference like ${secret:NAME}", credential: true },
);

/** Malformed references are errors wherever references are allowed next to literals. */
function checkOptionalReference(value: string, ctx: z.RefinementCtx): boolean {
  try {
    return parseSecretReference(value) !== undefined;
  } catch (error) {
    const reason = error instanceof SecretReferenceError ? error.message : "it is malformed";
    reportRule(ctx, "invalid-secret-reference", `is not a valid secret reference: ${reason}`);
    return true;
  }
}

/** Not a credential by itself (an AppRole role id), but often kept beside one: either form. */
export const stringOrSecretRef = withInfo(
  z.string().superRefine((value, ctx) => {
    if (checkOptionalReference(value, ctx)) return;
    if (value.trim() === "") reportRule(ctx, "invalid-text", "must not be empty");
  }),
  { type: "string or secret ref", expected: "text or a secret reference" },
);

/** A URL that often embeds a token in practice (ntfy topics, Slack webhooks): URL or reference. */
export const urlOrSecretRef = withInfo(
  z.string().superRefine((value, ctx) => {
    if (checkOptionalReference(value, ctx)) return;
    const problem = urlProblem(value);
    if (problem) reportRule(ctx, problem.rule, problem.predicate, problem.hint ? { hint: problem.hint } : {});
  }),
  { type: "URL or secret ref", expected: "an http(s) URL or a secret reference like ${secret:NAME}" },
);

/** Every value a secret reference (Grafana secureJsonData). */
export const secretRefRecord = withInfo(z.record(z.string().min(1), secretRef), {
  type: "mapping of secret ref",
  expected: "a mapping whose values are secret references",
});

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Walks free-form settings: a key that names a credential must hold a secret reference, every
 * other string may hold one (integrations put tokens in URLs and headers) but a malformed one is
 * an error.
 */
export function checkCredentialKeys(
  value: unknown,
  ctx: z.RefinementCtx,
  path: (string | number)[] = [],
): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      checkCredentialKeys(item, ctx, [...path, index]);
    });
    return;
  }
  if (value === null || typeof value !== "object") {
    if (typeof value === "string") checkLooseReference(value, ctx, path);
    return;
  }
  for (const [key, item] of Object.entries(value as Record<string, JsonValue>)) {
    if (isCredentialKey(key) && typeof item !== "boolean" && item !== null) {
      checkSecretReference(item, ctx, [...path, key]);
    } else {
      checkCredentialKeys(item, ctx, [...path, key]);
    }
  }
}

function checkLooseReference(value: string, ctx: z.RefinementCtx, path: (string | number)[]): void {
  try {
    parseSecretReference(value);
  } catch (error) {
    const reason = error instanceof SecretReferenceError ? error.message : "it is malformed";
    reportRule(ctx, "invalid-secret-reference", `is not a valid secret reference: ${reason}`, { path });
  }
}

/** Integration settings (Grafana contact points): free-form, credential-looking keys must be references. */
export const credentialSettings = withInfo(
  z.record(z.string().min(1), z.unknown()).superRefine((value, ctx) => checkCredentialKeys(value, ctx)),
  {
    type: "mapping",
    expected: "a mapping of settings (credential keys as secret references)",
  },
);
