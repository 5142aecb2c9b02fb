import { randomInt } from "node:crypto";
import type { SimResponse } from "../common/sim-server.ts";

/**
 * The four error bodies Grafana sends (reference §2), built in one place so every handler
 * answers with exactly Grafana's shape. Handlers throw GrafanaApiError; the server turns it
 * into the response, which keeps the happy path of each handler free of early returns.
 */
export class GrafanaApiError extends Error {
  override readonly name = "GrafanaApiError";
  readonly response: SimResponse;

  constructor(response: SimResponse) {
    super(`Grafana simulator answers ${response.status}`);
    this.response = response;
  }
}

/** `response.Error(status, message)`: `{"message": ...}`, plus `status` on dashboard and folder errors. */
export function legacyError(
  status: number,
  message: string,
  extra: Record<string, unknown> = {},
): SimResponse {
  return { status, body: { ...extra, message } };
}

/** errutil public errors: authn, service accounts, SSO and newer alerting code. */
export function publicError(status: number, messageId: string, message: string): SimResponse {
  return { status, body: { message, messageId, statusCode: status } };
}

/** The RBAC middleware's 403, naming the permission that was missing. */
export function accessDenied(permission: string): SimResponse {
  const accessErrorId = `ACE${String(randomInt(0, 10_000_000_000)).padStart(10, "0")}`;
  return {
    status: 403,
    body: {
      title: "Access denied",
      message: `You'll need additional permissions to perform this action. Permissions needed: ${permission}`,
      accessErrorId,
    },
  };
}

export function fail(response: SimResponse): never {
  throw new GrafanaApiError(response);
}

export function failLegacy(status: number, message: string, extra: Record<string, unknown> = {}): never {
  throw new GrafanaApiError(legacyError(status, message, extra));
}

export function failPublic(status: number, messageId: string, message: string): never {
  throw new GrafanaApiError(publicError(status, messageId, message));
}

export const UNAUTHORIZED = publicError(401, "auth.unauthorized", "Unauthorized");
export const API_KEY_INVALID = publicError(401, "api-key.invalid", "Invalid API key");
export const API_KEY_EXPIRED = publicError(401, "api-key.expired", "Expired API key");
export const API_KEY_REVOKED = publicError(401, "api-key.revoked", "Revoked API key");
export const API_KEY_ORG_MISMATCH = publicError(
  401,
  "api-key.organization-mismatch",
  "API key does not belong to the requested organization",
);
export const PASSWORD_AUTH_FAILED = publicError(401, "password-auth.failed", "Invalid username or password");

/** Unknown /api routes: Grafana's NotFound handler answers before authentication. */
export const API_NOT_FOUND = legacyError(404, "Not found");
