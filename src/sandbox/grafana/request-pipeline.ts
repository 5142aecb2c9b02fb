import type { Router } from "../common/router.ts";
import type { SimHandler, SimRequest, SimResponse } from "../common/sim-server.ts";
import { authenticate, authorize } from "./auth.ts";
import { API_NOT_FOUND, GrafanaApiError, legacyError } from "./errors.ts";
import type { GrafanaRoute } from "./route.ts";
import { BAD_REQUEST_MESSAGES, DEFAULT_BAD_REQUEST_MESSAGE } from "./spec-deviations.ts";
import type { GrafanaSpecValidator, SpecOperation } from "./spec-validator.ts";
import type { GrafanaState } from "./state.ts";

/**
 * One request through the simulated Grafana, in the server's order: health endpoints before
 * any authentication, unknown API routes 404 before authentication, then authn (401), RBAC
 * (403), body binding (400 "bad request data"), the handler, and finally a check of the
 * response against the spec, which throws on a simulator bug.
 */
export interface PipelineOptions {
  state: GrafanaState;
  validator: GrafanaSpecValidator;
  router: Router<GrafanaRoute>;
  version: string;
  commit: string;
}

export function createGrafanaHandler(options: PipelineOptions): SimHandler {
  const { validator, router } = options;
  return (request) => {
    const { method, path } = request;
    const readOnly = method === "GET" || method === "HEAD";
    if (path === "/healthz" && readOnly) return { status: 200, text: "Ok" };
    const operation = validator.operationFor(method === "HEAD" ? "GET" : method, path);
    let response: SimResponse;
    if (path === "/api/health" && readOnly) {
      response = health(options);
    } else {
      const match = router.match(method, path);
      if (match === undefined || match === "method-not-allowed") {
        return path.startsWith("/api/") ? API_NOT_FOUND : { status: 404, text: "404 page not found" };
      }
      response = serve(options, request, match.handler, match.params, operation);
    }
    if (operation) validator.assertResponse(operation, response.status, response.body);
    return response;
  };
}

function health({ state, version, commit }: PipelineOptions): SimResponse {
  const database = state.databaseFailing ? "failing" : "ok";
  return {
    status: state.databaseFailing ? 503 : 200,
    body: { database, version, commit },
    headers: { "cache-control": "no-store" },
  };
}

function serve(
  options: PipelineOptions,
  request: SimRequest,
  route: GrafanaRoute,
  params: Record<string, string>,
  operation: SpecOperation | undefined,
): SimResponse {
  const { state, validator } = options;
  const auth = authenticate(request, state);
  if (!auth.ok) return auth.response;
  const denied = authorize(auth.principal, route.access);
  if (denied) return denied;
  let body: unknown;
  if (route.bindsBody) {
    const bound = bindBody(request, operation, validator);
    if ("response" in bound) return bound.response;
    body = bound.body;
  }
  try {
    return route.handle({
      request,
      params,
      query: request.query,
      body,
      principal: auth.principal,
      org: state.org(auth.principal.orgId),
      state,
    });
  } catch (error) {
    if (error instanceof GrafanaApiError) return error.response;
    throw error;
  }
}

/**
 * Grafana's web.Bind: the content type must be application/json (a client that forgets the
 * header gets a 400, even with a valid body), the JSON must decode, and the result must fit the
 * operation's schema.
 */
function bindBody(
  request: SimRequest,
  operation: SpecOperation | undefined,
  validator: GrafanaSpecValidator,
): { body: unknown } | { response: SimResponse } {
  const message = (operation && BAD_REQUEST_MESSAGES[operation.operationId]) ?? DEFAULT_BAD_REQUEST_MESSAGE;
  const badRequest = { response: legacyError(400, message) };
  const contentType = String(request.headers["content-type"] ?? "")
    .split(";")[0]
    ?.trim()
    .toLowerCase();
  if (contentType !== "application/json") return badRequest;
  const text = request.rawBody.toString("utf8");
  let body: unknown;
  try {
    // An empty body decodes to the zero value, so required fields are what catch it.
    body = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    return badRequest;
  }
  if (operation && validator.requestErrors(operation, body).length > 0) return badRequest;
  return { body };
}
