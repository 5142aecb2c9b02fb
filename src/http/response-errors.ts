import { STATUS_CODES } from "node:http";
import { summarizeErrorBody } from "./error-body.ts";
import { describeCall, unknownOutcomeHint } from "./error-text.ts";
import {
  AuthFailedError,
  ConflictError,
  type HttpError,
  type HttpErrorContext,
  InvalidError,
  NotFoundError,
  UnavailableError,
} from "./errors.ts";
import { parseRetryAfter } from "./retry-after.ts";

/**
 * The typed error for a non-2xx answer. The message quotes what the server said (its `detail`,
 * `message` or `errors`), redacted; the hint says what to do about it.
 */
export interface FailedResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON, text, or undefined. */
  body: unknown;
}

export interface ResponseErrorOptions {
  /** Whether repeating the request is harmless; decides the hint of a 5xx. */
  idempotent: boolean;
  /** Epoch milliseconds, for Retry-After dates. */
  now: number;
}

export function errorForResponse(
  context: HttpErrorContext,
  response: FailedResponse,
  options: ResponseErrorOptions,
): HttpError {
  const { status, body } = response;
  const reason = STATUS_CODES[status] ?? "Unknown Status";
  const excerpt = summarizeErrorBody(body);
  // A body that only repeats the reason phrase ("Not Found") adds nothing.
  const said = excerpt && excerpt.toLowerCase() !== reason.toLowerCase() ? `: ${excerpt}` : "";
  const message = `${describeCall(context)} → ${status} ${reason}${said}`;
  const details = { ...context, status, body };
  const target = context.target;

  if (status === 401 || status === 403) {
    return new AuthFailedError(message, {
      ...details,
      hint: `check the token for ${target}; it may be expired or lack permission`,
    });
  }
  if (status === 404 || status === 410) {
    return new NotFoundError(message, {
      ...details,
      hint: `check that the object exists on ${target} and that its URL is the server's base URL, without an API path`,
    });
  }
  if (status === 409 || status === 412) {
    return new ConflictError(message, {
      ...details,
      hint: `the object on ${target} exists already or changed since it was read; plan again to see its current state`,
    });
  }
  if (status === 429 || status === 408) {
    return new UnavailableError(message, {
      ...details,
      outcome: "rejected",
      ...retryAfter(response, options.now),
      hint: `${target} is refusing requests for now; lower resilience.rateLimit for ${target} if this persists`,
    });
  }
  if (status >= 500) {
    return new UnavailableError(message, {
      ...details,
      outcome: "unknown",
      ...(status === 503 ? retryAfter(response, options.now) : {}),
      hint: unknownOutcomeHint(
        context,
        options.idempotent,
        `${target} failed; look for request id ${context.requestId} in its logs`,
      ),
    });
  }
  if (status >= 300 && status < 400) {
    const location = response.headers.location;
    return new InvalidError(message, {
      ...details,
      hint: `${target} redirects${location ? ` to ${location}` : ""}; set its URL to the address it redirects to (http or https, host, port)`,
    });
  }
  return new InvalidError(message, { ...details, hint: invalidHint(status, context) });
}

function invalidHint(status: number, context: HttpErrorContext): string {
  const target = context.target;
  if (status === 405) {
    return `${target} does not allow ${context.method} here; check that its URL points at the right service and that its version is supported`;
  }
  if (status === 413) return `the request is too large for ${target} (or a proxy in front of it)`;
  if (status === 415)
    return `${target} refused the request's content type; this is a bug in Autopilot, please report it`;
  return `${target} refused the request as invalid; the server's reason is in the message`;
}

function retryAfter(response: FailedResponse, now: number): { retryAfterMs?: number } {
  const ms = parseRetryAfter(response.headers["retry-after"], now);
  return ms === undefined ? {} : { retryAfterMs: ms };
}
