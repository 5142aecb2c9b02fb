import { Router } from "../common/router.ts";
import type { SimRequest, SimResponse, SimServer } from "../common/sim-server.ts";
import { startSimServer } from "../common/sim-server.ts";
import { recordEvent } from "./audit-events.ts";
import { authenticate } from "./auth.ts";
import { ApiError, methodNotAllowed, notAuthenticated, validationFailed } from "./errors.ts";
import { FieldErrors } from "./field-errors.ts";
import type { OperationContext, OperationHandler } from "./operation.ts";
import { htmlPage, serverErrorResponse, throttledResponse } from "./proxy-responses.ts";
import { generateId, TOKEN_KEY_LENGTH } from "./random-values.ts";
import { parseRequestBody } from "./request-body.ts";
import { allOperationHandlers } from "./resources/index.ts";
import { seedDefaults } from "./seed.ts";
import { readCommittedSubset } from "./spec-subset.ts";
import { type OperationSpec, SpecValidator } from "./spec-validator.ts";
import { AuthentikState } from "./state.ts";

export interface AuthentikSimulatorOptions {
  port?: number;
  /** Serve HTTPS with this certificate and key (PEM), e.g. to test TLS trust settings. */
  tls?: { cert: string; key: string };
  /** What GET /admin/version/ reports as version_current. */
  version?: string;
  /** The admin API token (the bootstrap token of akadmin); random when absent. */
  token?: string;
  /** Replaces handlers by operationId; tests use it to plant a broken one. */
  handlers?: OperationHandler[];
  /**
   * Compile every spec validator before answering (the long-running sandbox does): otherwise
   * the first request of each operation pays a compile of tens of milliseconds on top of its
   * simulated latency, a delay the real server does not have.
   */
  compileSpecUpFront?: boolean;
}

export interface AuthentikSimulator {
  /** Base URL without the API path, e.g. http://127.0.0.1:40123. */
  url: string;
  token: string;
  server: SimServer;
  state: AuthentikState;
  close(): Promise<void>;
}

export const DEFAULT_VERSION = "2026.8.3";
const API_PREFIX = "/api/v3";
const METHOD_ORDER = ["GET", "POST", "PUT", "PATCH", "DELETE"];

let sharedValidator: SpecValidator | undefined;

/** One validator per process: compiled schemas are the expensive part and never change. */
function specValidator(): SpecValidator {
  sharedValidator ??= new SpecValidator(readCommittedSubset());
  return sharedValidator;
}

export async function startAuthentikSimulator(
  options: AuthentikSimulatorOptions = {},
): Promise<AuthentikSimulator> {
  const state = new AuthentikState();
  const token = options.token ?? generateId(TOKEN_KEY_LENGTH);
  seedDefaults(state, token);
  const validator = specValidator();
  if (options.compileSpecUpFront) validator.compileAll();
  const handlers = new Map<string, OperationHandler>();
  for (const handler of allOperationHandlers({ version: options.version ?? DEFAULT_VERSION })) {
    handlers.set(handler.operationId, handler);
  }
  for (const handler of options.handlers ?? []) handlers.set(handler.operationId, handler);

  const router = new Router<OperationSpec>();
  for (const operation of validator.operations()) {
    router.add(operation.method, API_PREFIX + operation.path.replace(/\{(\w+)\}/g, ":$1"), operation);
  }
  const dispatcher = new Dispatcher(state, validator, handlers, router);
  const server = await startSimServer({
    name: "authentik",
    ...(options.tls ? { tls: options.tls } : {}),
    port: options.port,
    handler: (request) => dispatcher.dispatch(request),
    throttleResponse: throttledResponse,
    errorResponse: serverErrorResponse,
  });
  return { url: server.url, token, server, state, close: () => server.close() };
}

class Dispatcher {
  readonly #state: AuthentikState;
  readonly #validator: SpecValidator;
  readonly #handlers: Map<string, OperationHandler>;
  readonly #router: Router<OperationSpec>;

  constructor(
    state: AuthentikState,
    validator: SpecValidator,
    handlers: Map<string, OperationHandler>,
    router: Router<OperationSpec>,
  ) {
    this.#state = state;
    this.#validator = validator;
    this.#handlers = handlers;
    this.#router = router;
  }

  dispatch(request: SimRequest): SimResponse {
    const method = request.method === "HEAD" ? "GET" : request.method;
    const match = this.#match(method, request.path);
    if (match === undefined) return this.#notRouted(request);
    const allow = this.#allowHeader(request.path);
    let operationId: string | undefined;
    try {
      const caller = authenticate(request.headers, this.#state);
      if (match === "method-not-allowed" || request.method === "OPTIONS") {
        if (!caller && !this.#pathIsAnonymous(request.path)) throw notAuthenticated();
        if (request.method === "OPTIONS")
          return { status: 501, body: { detail: "OPTIONS is not simulated." } };
        throw methodNotAllowed(request.method);
      }
      operationId = match.handler.operationId;
      const handler = this.#handlers.get(operationId);
      if (!caller && !handler?.anonymous) throw notAuthenticated();
      if (!handler) {
        return { status: 501, body: { detail: `${operationId} is not simulated.` }, headers: { allow } };
      }
      const result = handler.handle(this.#context(request, match.params, caller, operationId));
      this.#validator.checkResponse(operationId, result.status, result.body);
      return { status: result.status, body: result.body, headers: { allow } };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (operationId) this.#validator.checkResponse(operationId, error.status, error.body);
      return { status: error.status, body: error.body, headers: { ...error.headers, allow } };
    }
  }

  #match(method: string, path: string) {
    const match = this.#router.match(method, path);
    // DRF's default lookup pattern is [^/.]+: a value with a dot matches no route at all.
    if (typeof match === "object" && Object.values(match.params).some((value) => value.includes("."))) {
      return undefined;
    }
    return match;
  }

  /** Django: no route; with APPEND_SLASH a path that matches once "/" is added is redirected. */
  #notRouted(request: SimRequest): SimResponse {
    if (!request.path.endsWith("/") && this.#router.methodsFor(`${request.path}/`).length > 0) {
      const query = request.query.toString();
      return {
        status: 301,
        text: "",
        headers: {
          location: `${request.path}/${query ? `?${query}` : ""}`,
          "content-type": "text/html; charset=utf-8",
        },
      };
    }
    return htmlPage(404, "Not Found");
  }

  #allowHeader(path: string): string {
    const methods = new Set(this.#router.methodsFor(path));
    const allowed = METHOD_ORDER.filter((m) => methods.has(m));
    if (methods.has("GET")) allowed.push("HEAD");
    allowed.push("OPTIONS");
    return allowed.join(", ");
  }

  #pathIsAnonymous(path: string): boolean {
    const match = this.#router.match("GET", path);
    return typeof match === "object" && this.#handlers.get(match.handler.operationId)?.anonymous === true;
  }

  #context(
    request: SimRequest,
    params: Record<string, string>,
    caller: OperationContext["caller"],
    operationId: string,
  ): OperationContext {
    const state = this.#state;
    const validator = this.#validator;
    return {
      params,
      query: request.query,
      caller,
      state,
      headers: request.headers,
      input() {
        const check = validator.checkRequest(operationId, parseRequestBody(request));
        if (check.ok) return { data: check.data, errors: new FieldErrors() };
        if (typeof check.data !== "object" || check.data === null || Array.isArray(check.data)) {
          throw validationFailed(check.errors);
        }
        return { data: check.data as Record<string, unknown>, errors: new FieldErrors(check.errors) };
      },
      record(action, model) {
        const userAgent = request.headers["user-agent"] ?? "";
        recordEvent(
          state,
          caller,
          { method: request.method, path: request.path, query: request.query, userAgent },
          action,
          model,
        );
      },
    };
  }
}
