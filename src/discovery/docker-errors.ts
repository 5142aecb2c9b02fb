import { AutopilotError } from "../errors/autopilot-error.ts";
import { type HttpErrorContext, UnavailableError } from "../http/errors.ts";

/**
 * dockerode's failures as the HTTP core's typed errors, so the resilience pipeline retries what
 * is worth retrying (refused, reset, 5xx) and its breaker counts an engine that is down.
 */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOENT", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
const MAYBE_SENT = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT"]);

export function dockerError(error: unknown, context: HttpErrorContext, endpoint: string): Error {
  if (error instanceof AutopilotError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? "";
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  const where = `Docker at ${endpoint}`;
  if (code === "EACCES" || code === "EPERM") {
    return new AutopilotError("auth", `${where}: permission denied on the socket`, {
      hint: "add the user running Autopilot to the docker group, or use a read-only socket proxy",
      cause: error,
    });
  }
  if (NOT_SENT.has(code) || MAYBE_SENT.has(code)) {
    return new UnavailableError(`${where}: ${code}`, {
      ...context,
      outcome: NOT_SENT.has(code) ? "not-sent" : "unknown",
      failure: NOT_SENT.has(code)
        ? code === "ENOTFOUND" || code === "EAI_AGAIN"
          ? "dns"
          : "refused"
        : "reset",
      hint: "check that Docker is running and the endpoint in targets.docker.endpoints is right",
      cause: error,
    });
  }
  if (typeof status === "number" && status >= 500) {
    return new UnavailableError(`${where} answered ${status}`, {
      ...context,
      status,
      outcome: "unknown",
      hint: "the Docker engine failed; look at its log",
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AutopilotError("unavailable", `${where}: ${message}`, {
    hint: "check the endpoint in targets.docker.endpoints (and its TLS files)",
    cause: error,
  });
}
