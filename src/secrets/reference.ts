/**
 * Secret references: the only way a credential may appear in the config or in a label.
 *
 *   ${secret:NAME}       the configured store (age file or Vault)
 *   ${env:NAME}          an environment variable of the Autopilot process
 *   ${file:PATH}         a file's content, trailing newline dropped (Docker/K8s secrets)
 *   ${vault:PATH#KEY}    one key of a Vault KV v2 secret, PATH relative to the mount
 *
 * A value is either a literal or exactly one reference: no interpolation, so there is never a
 * question of which part of a string is secret.
 */
export type SecretReference =
  | { kind: "secret"; name: string; raw: string }
  | { kind: "env"; name: string; raw: string }
  | { kind: "file"; path: string; raw: string }
  | { kind: "vault"; path: string; key: string; raw: string };

export const SECRET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const VAULT_PATH = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
const VAULT_KEY = /^[A-Za-z0-9_.-]{1,128}$/;
const WHOLE = /^\$\{([a-z]+):(.*)\}$/s;

export class SecretReferenceError extends Error {}

/** True when the string looks like an attempt at a reference, well-formed or not. */
export function looksLikeReference(value: string): boolean {
  return value.includes("${");
}

/**
 * Parses a reference. Returns undefined for a plain literal; throws SecretReferenceError with a
 * message naming the rule when the text tries to be a reference and is malformed.
 */
export function parseSecretReference(value: string): SecretReference | undefined {
  if (!looksLikeReference(value)) return undefined;
  const match = WHOLE.exec(value);
  if (!match) {
    throw new SecretReferenceError(
      "a secret reference must be the whole value, like ${secret:NAME}; text around it is not allowed",
    );
  }
  const [, kind, body = ""] = match;
  if (body.includes("${") || body.includes("}")) {
    throw new SecretReferenceError("a secret reference cannot contain another reference or a '}'");
  }
  switch (kind) {
    case "secret":
      if (!SECRET_NAME.test(body)) {
        throw new SecretReferenceError(
          `secret name "${body}" must be 1-128 characters of letters, digits, '_', '.', '-' and start with a letter or digit`,
        );
      }
      return { kind, name: body, raw: value };
    case "env":
      if (!ENV_NAME.test(body)) {
        throw new SecretReferenceError(
          `environment variable name "${body}" must match [A-Za-z_][A-Za-z0-9_]*`,
        );
      }
      return { kind, name: body, raw: value };
    case "file":
      if (body.trim() === "" || body.includes("\0")) {
        throw new SecretReferenceError("${file:PATH} needs a path");
      }
      return { kind, path: body, raw: value };
    case "vault": {
      const hash = body.lastIndexOf("#");
      const path = hash < 0 ? body : body.slice(0, hash);
      const key = hash < 0 ? "" : body.slice(hash + 1);
      if (!VAULT_PATH.test(path) || !VAULT_KEY.test(key)) {
        throw new SecretReferenceError(
          `"${body}" is not PATH#KEY: write \${vault:apps/grafana#admin_password} (path inside the KV v2 mount, then the key)`,
        );
      }
      return { kind, path, key, raw: value };
    }
    default:
      throw new SecretReferenceError(`unknown reference kind "${kind}": use secret, env, file or vault`);
  }
}

/** Every reference inside a parsed config or label tree, with the path where it sits. */
export function findSecretReferences(
  value: unknown,
  path: (string | number)[] = [],
): { path: (string | number)[]; reference: SecretReference }[] {
  if (typeof value === "string") {
    try {
      const reference = parseSecretReference(value);
      return reference ? [{ path, reference }] : [];
    } catch {
      return []; // malformed references are reported by the schema, not here
    }
  }
  if (Array.isArray(value))
    return value.flatMap((item, index) => findSecretReferences(item, [...path, index]));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => findSecretReferences(item, [...path, key]));
  }
  return [];
}
