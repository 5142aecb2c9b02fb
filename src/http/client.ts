import { Agent } from "undici";
import packageJson from "../../package.json" with { type: "json" };
import { logger } from "../observability/logger.ts";
import { HttpError, type HttpErrorContext, InvalidError } from "./errors.ts";
import { responseFromRaw, wireRequestFromFetch } from "./fetch-adapter.ts";
import { observeAttempt } from "./metrics.ts";
import { type AttemptReport, createResiliencePipeline, type PipelineDeps } from "./policies.ts";
import { nextRequestId } from "./request-id.ts";
import { parseBaseUrl, requestTarget } from "./request-url.ts";
import { parseErrorBody, parseResponseBody } from "./response-body.ts";
import { errorForResponse } from "./response-errors.ts";
import { RouteLabels, routeTemplate } from "./route-template.ts";
import { tlsConnectOptions } from "./tls.ts";
import { errorForTransportFailure } from "./transport-errors.ts";
import type { HttpClient, HttpRequest, HttpResponse, TargetHttpOptions } from "./types.ts";
import {
  flattenHeaders,
  HTTP_METHODS,
  isIdempotent,
  lowerCaseKeys,
  type RawResponse,
  type WireRequest,
} from "./wire.ts";

/**
 * The HTTP client of one target: one undici Agent (keep-alive pool sized to the target's
 * concurrency, TLS trust from `tls.ts`), every attempt through the target's resilience
 * pipeline, `x-request-id` on every attempt, one metric observation and one debug line per
 * attempt. Failures come out as the typed errors of `errors.ts`.
 */
export const USER_AGENT = `homelab-autopilot/${packageJson.version}`;

const routeLabels = new RouteLabels();

export function createHttpClient(options: TargetHttpOptions, deps: PipelineDeps = {}): HttpClient {
  const { target } = options;
  const base = parseBaseUrl(target, options.baseUrl);
  const pipeline = createResiliencePipeline(target, options.resilience, deps);
  const now = deps.now ?? Date.now;
  if (base.protocol === "http:" && options.tls) {
    logger().warn({ target }, `${target}: tls settings are ignored because its URL is http://`);
  }
  const agent = new Agent({
    // Twice the requests in flight: undici hands a kept-alive socket its next request only a
    // turn of the event loop after the last answer (and a check of the idle socket later), so a
    // request released by an answer would wait two turns for that socket, milliseconds under
    // load. With spare sockets it goes out on one already checked. The resilience pipeline
    // still bounds the requests in flight to `concurrency`.
    connections: pipeline.options.concurrency * 2,
    // Built only for https: the trust store takes a few tens of milliseconds to load.
    ...(base.protocol === "https:" ? { connect: tlsConnectOptions(target, options.tls) } : {}),
  });
  const defaultHeaders = { accept: "application/json", "user-agent": USER_AGENT };
  // The response behind each status error, so `fetch` can hand it back like fetch would.
  // Kept beside the error rather than on it: the raw body is not redacted.
  const failedResponses = new WeakMap<HttpError, RawResponse>();
  let closing: Promise<void> | undefined;

  async function send(wire: WireRequest): Promise<RawResponse> {
    const requestIds = new Map<number, string>();
    const errorContext = (attempt: number): HttpErrorContext => {
      let requestId = requestIds.get(attempt);
      if (requestId === undefined) {
        requestId = nextRequestId();
        requestIds.set(attempt, requestId);
      }
      return { target, method: wire.method, route: wire.route, path: wire.path, requestId };
    };

    const attemptOnce = async (attempt: number, signal: AbortSignal): Promise<RawResponse> => {
      const context = errorContext(attempt);
      // Awaited per attempt, so a token renewed between attempts is the one sent.
      const targetHeaders = wire.anonymous ? {} : lowerCaseKeys(await options.headers?.());
      const headers = {
        ...defaultHeaders,
        ...targetHeaders,
        ...wire.headers,
        "x-request-id": context.requestId,
      };
      let raw: RawResponse;
      try {
        const response = await agent.request({
          origin: base.origin,
          path: wire.target,
          method: wire.method,
          headers,
          body: wire.body ?? null,
          signal,
        });
        const bytes = new Uint8Array(await response.body.arrayBuffer());
        raw = {
          status: response.statusCode,
          headers: flattenHeaders(response.headers),
          bytes,
          requestId: context.requestId,
          attempt,
        };
      } catch (error) {
        throw errorForTransportFailure(context, error, {
          origin: base.origin,
          idempotent: wire.idempotent,
          now: now(),
        });
      }
      if (raw.status >= 200 && raw.status < 300) return raw;
      const error = errorForResponse(
        context,
        {
          status: raw.status,
          headers: raw.headers,
          body: parseErrorBody(raw.bytes, raw.headers["content-type"]),
        },
        { idempotent: wire.idempotent, now: now() },
      );
      failedResponses.set(error, raw);
      throw error;
    };

    return pipeline.execute(({ attempt, signal }) => attemptOnce(attempt, signal), {
      idempotent: wire.idempotent,
      ...(wire.signal ? { signal: wire.signal } : {}),
      ...(wire.timeoutMs === undefined ? {} : { timeoutMs: wire.timeoutMs }),
      errorContext,
      onAttempt: (report) => recordAttempt(wire, report, errorContext(report.attempt).requestId),
    });
  }

  function recordAttempt(wire: WireRequest, report: AttemptReport<RawResponse>, requestId: string): void {
    const status =
      "value" in report.result
        ? String(report.result.value.status)
        : report.result.error instanceof HttpError
          ? report.result.error.statusLabel
          : wire.signal?.aborted
            ? "aborted"
            : "error";
    observeAttempt({ target, method: wire.method, route: wire.route, status, seconds: report.ms / 1000 });
    logger().debug(
      {
        target,
        method: wire.method,
        route: wire.route,
        status,
        ms: Math.round(report.ms),
        attempt: report.attempt,
        requestId,
      },
      "http attempt",
    );
  }

  async function request<T>(call: HttpRequest): Promise<HttpResponse<T>> {
    if (!HTTP_METHODS.includes(call.method))
      throw new TypeError(`unsupported HTTP method ${String(call.method)}`);
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    const path = call.path.split("?", 1)[0] ?? call.path;
    const wire: WireRequest = {
      method: call.method,
      target: requestTarget(base, call.path, call.query),
      path,
      route: routeLabels.label(target, call.route ?? routeTemplate(path)),
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...lowerCaseKeys(call.headers),
      },
      body,
      idempotent: isIdempotent(call.method) || call.safeToRetry === true,
      ...(call.signal ? { signal: call.signal } : {}),
      ...(call.timeoutMs === undefined ? {} : { timeoutMs: call.timeoutMs }),
      ...(call.anonymous ? { anonymous: true } : {}),
    };
    const raw = await send(wire);
    const parsed = parseResponseBody(raw.bytes, raw.headers["content-type"]);
    if (!parsed.ok) {
      throw new InvalidError(
        `${target} ${call.method} ${path} → ${raw.status} with a body that is not valid JSON`,
        {
          target,
          method: call.method,
          route: wire.route,
          path,
          status: raw.status,
          requestId: raw.requestId,
          hint: `check that the URL of ${target} points at ${target} itself and not at a proxy or login page`,
        },
      );
    }
    return {
      status: raw.status,
      headers: raw.headers,
      body: parsed.value as T,
      requestId: raw.requestId,
      attempts: raw.attempt,
    };
  }

  // The typed error behind each non-2xx Response handed to a generated client, so its caller can
  // turn the client's generic ResponseError back into an UnavailableError/NotFoundError/….
  const errorsOfResponses = new WeakMap<Response, HttpError>();

  async function fetchAdapter(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const wire = await wireRequestFromFetch(target, base, input, init);
    try {
      return responseFromRaw(
        await send({ ...wire, route: routeLabels.label(target, routeTemplate(wire.path)) }),
      );
    } catch (error) {
      const raw = error instanceof HttpError ? failedResponses.get(error) : undefined;
      if (!raw) throw error;
      const response = responseFromRaw(raw);
      errorsOfResponses.set(response, error as HttpError);
      return response;
    }
  }

  return {
    target,
    baseUrl: options.baseUrl,
    request,
    fetch: fetchAdapter,
    errorFor: (response) => errorsOfResponses.get(response),
    breakerState: () => pipeline.breakerState(),
    onBreakerChange: (listener) => pipeline.onBreakerChange(listener),
    // Idempotent: shutdown paths often close what a finally block closes again.
    close: () => {
      closing ??= agent.close();
      return closing;
    },
  };
}
