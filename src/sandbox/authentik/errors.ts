import type { DrfErrorBody } from "./drf-messages.ts";

/**
 * An answer the real server gives instead of the normal result, with DRF's exact body. Handlers
 * throw it; the server turns it into the response.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;

  constructor(status: number, body: unknown, headers: Record<string, string> = {}) {
    super(`Authentik simulator answers ${status}: ${JSON.stringify(body)}`);
    this.name = "ApiError";
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** Django's get_object_or_404 names the model class when the lookup value is well-formed. */
export function notFound(modelClass: string): ApiError {
  return new ApiError(404, { detail: `No ${modelClass} matches the given query.` });
}

/** A lookup value the key column cannot even hold (a malformed UUID, "abc" for an integer). */
export function notFoundMalformed(): ApiError {
  return new ApiError(404, { detail: "Not found." });
}

export function validationFailed(body: DrfErrorBody): ApiError {
  return new ApiError(400, body);
}

export function notAuthenticated(): ApiError {
  return new ApiError(403, { detail: "Authentication credentials were not provided." });
}

export function tokenInvalid(): ApiError {
  return new ApiError(403, { detail: "Token invalid/expired" });
}

export function permissionDenied(): ApiError {
  return new ApiError(403, { detail: "You do not have permission to perform this action." });
}

export function methodNotAllowed(method: string): ApiError {
  return new ApiError(405, { detail: `Method "${method}" not allowed.` });
}

export function unsupportedMediaType(contentType: string): ApiError {
  return new ApiError(415, { detail: `Unsupported media type "${contentType}" in request.` });
}

export function invalidPage(): ApiError {
  return new ApiError(404, { detail: "Invalid page." });
}
