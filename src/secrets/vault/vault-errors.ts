import { HttpError } from "../../http/errors.ts";
import { SecretError } from "../secret-error.ts";

/**
 * Turns Vault's `{"errors":[...]}` answers into errors a user can act on. Only the status and
 * Vault's own error strings are used; the token is never part of a message (and is registered
 * with the redactor in any case).
 */
export interface VaultOperation {
  /** "read", "write", "delete", "list", "read metadata of" */
  verb: string;
  mount: string;
  path: string;
  /** The ACL path and capability a policy must grant, for the hint. */
  aclPath: string;
  capability: string;
}

export function vaultErrorsOf(error: unknown): string[] {
  if (!(error instanceof HttpError)) return [];
  const errors = (error.body as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) ? errors.filter((item): item is string => typeof item === "string") : [];
}

export function isPermissionDenied(error: unknown): boolean {
  return error instanceof HttpError && error.status === 403;
}

export function isSealed(error: unknown): boolean {
  return (
    error instanceof HttpError &&
    error.status === 503 &&
    vaultErrorsOf(error).some((message) => message.includes("Vault is sealed"))
  );
}

export function sealedError(cause: unknown): SecretError {
  return new SecretError("unavailable", "Vault is sealed", {
    hint: "unseal Vault (`vault operator unseal`, or your auto-unseal) and try again",
    retryable: true,
    cause,
  });
}

/** Maps a failed KV call; errors that are not Vault answers are returned unchanged. */
export function mapVaultError(error: unknown, operation: VaultOperation): unknown {
  if (!(error instanceof HttpError)) return error;
  const where = `${operation.mount}/${operation.path}`;
  if (error.status === 403) {
    return new SecretError("auth", `Vault denied access to ${where}: permission denied`, {
      hint: `check that the token's policy grants "${operation.capability}" on ${operation.aclPath} and that the token has not expired`,
      cause: error,
    });
  }
  if (isSealed(error)) return sealedError(error);
  if (error.status === 400) {
    const reasons = vaultErrorsOf(error);
    return new SecretError(
      "invalid",
      `Vault refused to ${operation.verb} ${where}: ${reasons.length > 0 ? reasons.join("; ") : "bad request"}`,
      { hint: "check the path and the request; Vault's message says what it rejected", cause: error },
    );
  }
  if (error.status === 404) {
    return new SecretError("not-found", `Vault has nothing at ${where}`, {
      hint: `check that a KV version 2 secrets engine is mounted at "${operation.mount}"`,
      cause: error,
    });
  }
  return error;
}
