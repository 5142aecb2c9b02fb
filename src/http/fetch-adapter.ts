import { STATUS_CODES } from "node:http";
import { AutopilotError } from "../errors/autopilot-error.ts";
import type { BaseUrl } from "./request-url.ts";
import type { HttpMethod } from "./types.ts";
import { HTTP_METHODS, isIdempotent, type RawResponse, type WireRequest } from "./wire.ts";

/**
 * Translation between the fetch API (what generated clients such as @goauthentik/api call) and
 * the client's own requests, so those clients get the same pool, trust, policies and metrics.
 * Only the target's own origin is reachable: anything else would carry the target's token to
 * another host.
 */
export async function wireRequestFromFetch(
  target: string,
  base: BaseUrl,
  input: string | URL | Request,
  init: RequestInit = {},
): Promise<Omit<WireRequest, "route">> {
  const request = input instanceof Request ? input : undefined;
  const url = resolveUrl(target, base, request ? request.url : String(input));
  const method = (init.method ?? request?.method ?? "GET").toUpperCase() as HttpMethod;
  if (!HTTP_METHODS.includes(method)) {
    throw new AutopilotError("invalid", `${target}: method ${method} is not supported`, {
      hint: `use one of ${HTTP_METHODS.join(", ")}`,
    });
  }

  const headers = new Headers(request?.headers);
  for (const [name, value] of new Headers(init.headers)) headers.set(name, value);
  const body = await bodyBytes(
    init.body ?? (request?.body ? await request.arrayBuffer() : undefined),
    headers,
  );

  const signal = init.signal ?? request?.signal ?? undefined;
  return {
    method,
    target: url.pathname + url.search,
    path: url.pathname,
    headers: Object.fromEntries(headers),
    body,
    idempotent: isIdempotent(method),
    ...(signal ? { signal } : {}),
  };
}

function resolveUrl(target: string, base: BaseUrl, input: string): URL {
  if (input.startsWith("/") && !input.startsWith("//")) return new URL(base.basePath + input, base.origin);
  const url = new URL(input);
  if (url.origin !== base.origin) {
    throw new AutopilotError("invalid", `${target}: refusing to send a request to ${url.origin}`, {
      hint: `this client only talks to ${base.origin}; check the basePath given to the generated client`,
    });
  }
  return url;
}

/**
 * Any fetch body (string, bytes, URLSearchParams, Blob, FormData, stream) as bytes, with the
 * content type fetch would have given it when the caller set none.
 */
type ResponseBody = ConstructorParameters<typeof Response>[0];

async function bodyBytes(
  body: ResponseBody | ArrayBuffer,
  headers: Headers,
): Promise<Uint8Array | undefined> {
  if (body === null || body === undefined) return undefined;
  if (typeof body === "string") {
    // The generated clients' JSON bodies: encoded directly, with fetch's implied type for text,
    // instead of through a Response and its stream for every request.
    if (!headers.has("content-type")) headers.set("content-type", "text/plain;charset=UTF-8");
    return Buffer.from(body, "utf8");
  }
  const carrier = new Response(body);
  const implied = carrier.headers.get("content-type");
  if (implied !== null && !headers.has("content-type")) headers.set("content-type", implied);
  return new Uint8Array(await carrier.arrayBuffer());
}

/** Statuses whose responses must not have a body (the Response constructor enforces it). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export function responseFromRaw(raw: RawResponse): Response {
  const body = raw.bytes.length === 0 || NULL_BODY_STATUSES.has(raw.status) ? null : raw.bytes;
  return new Response(body as ResponseBody, {
    status: raw.status,
    statusText: STATUS_CODES[raw.status] ?? "",
    headers: raw.headers,
  });
}
