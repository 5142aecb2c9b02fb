import { AutopilotError, describeError } from "../errors/autopilot-error.ts";
import { TlsError } from "../http/errors.ts";

/**
 * What `autopilot doctor` learns about one target: can we reach it, is TLS verified, are the
 * credentials accepted, is the version one we support. Each provider folder has its probe.
 */
export type CheckStatus = "ok" | "warn" | "fail" | "skip";

export interface ProbeCheck {
  name: "reach" | "tls" | "auth" | "version" | "access";
  status: CheckStatus;
  detail: string;
  hint?: string;
}

export interface ProbeResult {
  target: string;
  url: string;
  checks: ProbeCheck[];
}

export function probeOk(result: ProbeResult): boolean {
  return result.checks.every((check) => check.status !== "fail");
}

/** A failed check from an error, with the error's own hint. */
export function failedCheck(name: ProbeCheck["name"], error: unknown): ProbeCheck {
  return {
    name,
    status: "fail",
    detail: firstLine(describeError(error)),
    ...(error instanceof AutopilotError && error.hint ? { hint: error.hint } : {}),
  };
}

/**
 * The TLS verdict follows from how reaching the target went: verification is always on, so a
 * successful HTTPS exchange means the chain (and pin, if set) checked out.
 */
export function tlsCheck(url: string, reachError: unknown): ProbeCheck {
  const { protocol, hostname } = new URL(url);
  if (reachError instanceof TlsError) return failedCheck("tls", reachError);
  if (protocol === "http:") {
    const loopback = /^(127\.|localhost$|\[::1\]$)/.test(hostname);
    return loopback
      ? { name: "tls", status: "skip", detail: "plain HTTP on loopback" }
      : {
          name: "tls",
          status: "warn",
          detail: "plain HTTP: credentials cross the network unencrypted",
          hint: "use https:// with tls.ca or tls.pin for a self-signed lab",
        };
  }
  if (reachError) return { name: "tls", status: "skip", detail: "not reached" };
  return { name: "tls", status: "ok", detail: "certificate verified" };
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}
