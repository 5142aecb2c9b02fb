import { AutopilotError, type AutopilotErrorOptions, type ErrorKind } from "../errors/autopilot-error.ts";

/**
 * Anything that goes wrong while resolving, reading or writing a secret. Most are kind "secret";
 * Vault answers keep the kind the caller can act on ("auth" for a denied policy, "unavailable"
 * for a sealed Vault). Messages name the file, variable or path, never the value.
 */
export class SecretError extends AutopilotError {
  constructor(kind: ErrorKind, message: string, options: AutopilotErrorOptions = {}) {
    super(kind, message, options);
  }
}
