import { AutopilotError, type ErrorKind } from "../errors/autopilot-error.ts";
import { redactor } from "../secrets/redactor.ts";

/**
 * The typed failures of a call to another system. Callers decide from the class (or `kind`),
 * `retryable` and, for unavailability, `outcome`: whether the server may have acted on the
 * request. Messages, hints and bodies are redacted when the error is built.
 */

/** Which call failed; every HTTP error carries it so logs and the CLI can say where. */
export interface HttpErrorContext {
  target: string;
  method: string;
  /** Route template (bounded), e.g. /api/v3/core/users/{id}/ */
  route: string;
  /** The concrete path (without query), when there is one; messages show it. */
  path?: string;
  /** The `x-request-id` sent with the failing attempt, to find it in the server's logs. */
  requestId: string;
}

export interface HttpErrorDetails extends HttpErrorContext {
  status?: number;
  /** The server's answer, parsed; stored redacted. */
  body?: unknown;
  hint?: string;
  retryable?: boolean;
  cause?: unknown;
}

/**
 * Whether the server may have acted on the request:
 * - `not-sent`: it never reached the server (refused, DNS, open circuit, full queue)
 * - `rejected`: the server refused to process it (429 throttling)
 * - `unknown`: it was sent and may have been committed (timeout, reset, 5xx): re-read first
 */
export type Outcome = "not-sent" | "unknown" | "rejected";

/** Why a call was unavailable when there is no status code to say it; also the metric label. */
export type TransportFailure =
  | "timeout"
  | "reset"
  | "refused"
  | "dns"
  | "tls"
  | "circuit-open"
  | "bulkhead-full"
  | "network";

export class HttpError extends AutopilotError {
  readonly target: string;
  readonly method: string;
  readonly route: string;
  readonly path: string | undefined;
  readonly status: number | undefined;
  readonly requestId: string;
  readonly body: unknown;
  /** Attempts made before giving up; set by the resilience pipeline. */
  attempts = 1;

  constructor(kind: ErrorKind, message: string, details: HttpErrorDetails) {
    super(kind, message, {
      ...(details.hint === undefined ? {} : { hint: details.hint }),
      retryable: details.retryable ?? false,
      cause: details.cause,
    });
    this.target = details.target;
    this.method = details.method;
    this.route = details.route;
    this.path = details.path === undefined ? undefined : redactor.redact(details.path);
    this.status = details.status;
    this.requestId = details.requestId;
    this.body = details.body === undefined ? undefined : redactor.redactValue(details.body);
  }

  /** The `status` label of the request metrics: the code, or what happened instead of one. */
  get statusLabel(): string {
    return this.status === undefined ? "error" : String(this.status);
  }

  /** Records how many attempts were made, and says so in the message when there was more than one. */
  recordAttempts(attempts: number): void {
    this.attempts = attempts;
    if (attempts > 1) this.message = `${this.message} (after ${attempts} attempts)`;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      target: this.target,
      method: this.method,
      route: this.route,
      ...(this.status === undefined ? {} : { status: this.status }),
      requestId: this.requestId,
      attempts: this.attempts,
    };
  }
}

export interface UnavailableDetails extends HttpErrorDetails {
  outcome: Outcome;
  /** Set when there was no HTTP status: what went wrong on the way. */
  failure?: TransportFailure;
  /** The server's Retry-After, in milliseconds, when it sent one (429, 503). */
  retryAfterMs?: number;
}

/** The target could not be reached, timed out, throttled us or failed (5xx). */
export class UnavailableError extends HttpError {
  readonly outcome: Outcome;
  readonly failure: TransportFailure | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, details: UnavailableDetails) {
    super("unavailable", message, { ...details, retryable: details.retryable ?? true });
    this.outcome = details.outcome;
    this.failure = details.failure;
    this.retryAfterMs = details.retryAfterMs;
  }

  override get statusLabel(): string {
    return this.failure ?? super.statusLabel;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), outcome: this.outcome };
  }
}

/**
 * The connection was refused by TLS: untrusted, expired or misnamed certificate, or a pin that
 * does not match. Retrying cannot help; the user has to fix trust (`tls.ca`, `tls.pins`) or the
 * certificate.
 */
export class TlsError extends UnavailableError {
  /** The TLS error code (CERT_HAS_EXPIRED, ...), or ERR_AUTOPILOT_SPKI_PIN_MISMATCH. */
  readonly code: string;

  constructor(message: string, details: HttpErrorDetails & { code: string }) {
    super(message, { ...details, outcome: "not-sent", failure: "tls", retryable: false });
    this.code = details.code;
  }
}

/** 401 or 403: the credentials are missing, wrong, expired or lack permission. */
export class AuthFailedError extends HttpError {
  constructor(message: string, details: HttpErrorDetails) {
    super("auth", message, { ...details, retryable: false });
  }
}

/** 400, 405, 413, 415, 422 (and other 4xx): the request itself is wrong. */
export class InvalidError extends HttpError {
  constructor(message: string, details: HttpErrorDetails) {
    super("invalid", message, { ...details, retryable: false });
  }
}

/** 409 or 412: the object exists already or changed underneath us. */
export class ConflictError extends HttpError {
  constructor(message: string, details: HttpErrorDetails) {
    super("conflict", message, { ...details, retryable: false });
  }
}

/** 404 (and 410). */
export class NotFoundError extends HttpError {
  constructor(message: string, details: HttpErrorDetails) {
    super("not-found", message, { ...details, retryable: false });
  }
}

/**
 * The breaker for this target is open: recent calls failed in a row, so this one was not sent.
 * `retryable` is true for the engine (try again later), but the pipeline never retries it
 * within the same call: the breaker stays open far longer than any backoff.
 */
export class CircuitOpenError extends HttpError {
  readonly outcome: Outcome = "not-sent";

  constructor(message: string, details: HttpErrorDetails) {
    super("circuit-open", message, { ...details, retryable: true });
  }

  override get statusLabel(): string {
    return "circuit-open";
  }
}

/**
 * True when a write may or may not have been applied by the server: the caller must re-read
 * the object (by its natural key) before repeating the write.
 */
export function isUnknownOutcome(error: unknown): boolean {
  return error instanceof UnavailableError && error.outcome === "unknown";
}

/** The outcome of any failure, for code that also sees errors not raised by this module. */
export function outcomeOf(error: unknown): Outcome | undefined {
  if (error instanceof UnavailableError || error instanceof CircuitOpenError) return error.outcome;
  return undefined;
}
