import { AutopilotError, type AutopilotErrorOptions } from "../errors/autopilot-error.ts";

/**
 * The state store or the audit log cannot be used: the file is missing, corrupt, locked too long,
 * from a newer Autopilot, or written by hand. Only a busy database is worth retrying; the rest
 * needs a person, so every StateError names the file and says what to do in its hint.
 */
export class StateError extends AutopilotError {
  constructor(message: string, options: AutopilotErrorOptions = {}) {
    super("state", message, options);
  }
}
