import { redactor } from "../secrets/redactor.ts";

/**
 * What went wrong, in the few categories a caller can act on. The engine and the CLI decide
 * what to do from `kind` and `retryable`, never from message text.
 */
export type ErrorKind =
  | "unavailable" // the other side could not be reached or failed; often worth retrying
  | "auth" // credentials missing, wrong or lacking permission
  | "invalid" // the request or input broke a rule; retrying the same thing cannot help
  | "conflict" // the object exists or changed underneath us
  | "not-found"
  | "circuit-open" // we stopped calling a failing target for a while
  | "config" // the user's configuration or labels are wrong
  | "secret" // a secret could not be resolved, read or written
  | "state" // the local state store or audit log is unusable
  | "internal";

export interface AutopilotErrorOptions {
  /** One sentence telling the user what to do next. */
  hint?: string;
  retryable?: boolean;
  cause?: unknown;
}

/**
 * Base of every error Autopilot raises on purpose. The message and hint pass through the
 * redactor when the error is built, so a secret that slipped into a message never leaves the
 * process, whichever logger or printer handles the error later.
 */
export class AutopilotError extends Error {
  readonly kind: ErrorKind;
  readonly retryable: boolean;
  readonly hint: string | undefined;

  constructor(kind: ErrorKind, message: string, options: AutopilotErrorOptions = {}) {
    super(redactor.redact(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.kind = kind;
    this.retryable = options.retryable ?? false;
    this.hint = options.hint === undefined ? undefined : redactor.redact(options.hint);
  }

  /** Plain data for JSON output and logs; never includes the cause's raw body. */
  toJSON(): Record<string, unknown> {
    return {
      error: this.name,
      kind: this.kind,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      retryable: this.retryable,
    };
  }
}

/** Turns anything thrown into a message safe to show: redacted, one line when possible. */
export function describeError(error: unknown): string {
  if (error instanceof AutopilotError)
    return error.hint ? `${error.message}\n  hint: ${error.hint}` : error.message;
  if (error instanceof Error) return redactor.redact(error.message);
  return redactor.redact(String(error));
}
