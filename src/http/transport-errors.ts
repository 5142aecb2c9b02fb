import { describeCall, unknownOutcomeHint } from "./error-text.ts";
import {
  HttpError,
  type HttpErrorContext,
  InvalidError,
  TlsError,
  type TransportFailure,
  UnavailableError,
} from "./errors.ts";
import { explainTlsFailure } from "./tls.ts";

/**
 * The typed error for a call that got no HTTP answer: refused, unresolvable, reset, TLS
 * refused. What matters most is the outcome: whether the request can have reached the server.
 */
export interface TransportErrorOptions {
  /** The target's origin, for hints. */
  origin: string;
  idempotent: boolean;
  now: number;
}

const NOT_SENT: Record<string, TransportFailure> = {
  ECONNREFUSED: "refused",
  ENOTFOUND: "dns",
  EAI_AGAIN: "dns",
  EAI_FAIL: "dns",
  UND_ERR_CONNECT_TIMEOUT: "network",
  EHOSTUNREACH: "network",
  ENETUNREACH: "network",
};

const MAYBE_SENT: Record<string, TransportFailure> = {
  UND_ERR_SOCKET: "reset",
  ECONNRESET: "reset",
  EPIPE: "reset",
  UND_ERR_HEADERS_TIMEOUT: "timeout",
  UND_ERR_BODY_TIMEOUT: "timeout",
};

export function errorForTransportFailure(
  context: HttpErrorContext,
  error: unknown,
  options: TransportErrorOptions,
): HttpError {
  if (error instanceof HttpError) return error;
  const code = codeOf(error);
  const call = describeCall(context);
  const { target } = context;

  const tls = explainTlsFailure(error, { target, origin: options.origin, now: options.now });
  if (tls) {
    return new TlsError(`${call} → TLS refused: ${tls.reason}`, {
      ...context,
      code: tls.code,
      hint: tls.hint,
      cause: error,
    });
  }

  // undici refuses to send what it cannot encode (a header value with a line break, ...).
  if (code === "UND_ERR_INVALID_ARG" || code.startsWith("ERR_INVALID_")) {
    return new InvalidError(`${call} → not sent: ${error instanceof Error ? error.message : String(error)}`, {
      ...context,
      hint: "the request could not be encoded; check the headers the target configuration adds",
      cause: error,
    });
  }

  if (code === "UND_ERR_DESTROYED" || code === "UND_ERR_CLOSED") {
    return new UnavailableError(`${call} → not sent: the HTTP client for ${target} was closed`, {
      ...context,
      outcome: "not-sent",
      failure: "network",
      retryable: false,
      hint: "this is a bug in Autopilot (a call after shutdown); please report it",
      cause: error,
    });
  }

  const notSent = NOT_SENT[code];
  if (notSent) {
    return new UnavailableError(`${call} → not sent: ${explain(notSent, error)}`, {
      ...context,
      outcome: "not-sent",
      failure: notSent,
      hint: notSentHint(notSent, target, options.origin),
      cause: error,
    });
  }

  const failure = MAYBE_SENT[code] ?? "network";
  // A connection that closed before any byte of the request went out cannot have done anything.
  const outcome = failure === "reset" && bytesWritten(error) === 0 ? "not-sent" : "unknown";
  return new UnavailableError(`${call} → ${explain(failure, error)}`, {
    ...context,
    outcome,
    failure,
    hint:
      outcome === "not-sent"
        ? `${target} closed the connection before the request was sent; check that it is up`
        : unknownOutcomeHint(
            context,
            options.idempotent,
            `check that ${target} at ${options.origin} is healthy`,
          ),
    cause: error,
  });
}

function explain(failure: TransportFailure, error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  switch (failure) {
    case "refused":
      return `connection refused (${detail})`;
    case "dns":
      return `host name not found (${detail})`;
    case "reset":
      return `connection closed before the response (${detail})`;
    case "timeout":
      return `no response in time (${detail})`;
    default:
      return `network failure (${detail})`;
  }
}

function notSentHint(failure: TransportFailure, target: string, origin: string): string {
  if (failure === "refused") return `check that ${target} is running and listening at ${origin}`;
  if (failure === "dns") return `check the host name in the URL of ${target} and this machine's DNS`;
  return `check that this machine can reach ${origin} (routing, firewall)`;
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "";
}

function bytesWritten(error: unknown): number | undefined {
  const written = (error as { socket?: { bytesWritten?: unknown } } | null)?.socket?.bytesWritten;
  return typeof written === "number" ? written : undefined;
}
