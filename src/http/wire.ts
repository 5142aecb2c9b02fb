import type { HttpMethod } from "./types.ts";

/** A request as the client sends it, whichever API (request or fetch) it came through. */
export interface WireRequest {
  method: HttpMethod;
  /** Path and query as sent, base path included. */
  target: string;
  /** The caller's path without the query, for messages and route labels. */
  path: string;
  /** Lower-case names; added after the defaults and the target's headers. */
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  idempotent: boolean;
  route: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Leave out the target's own (authentication) headers. */
  anonymous?: boolean;
}

/** A complete response, body read. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  bytes: Uint8Array;
  requestId: string;
  attempt: number;
}

export const HTTP_METHODS: readonly HttpMethod[] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

/** Methods whose repetition cannot do harm (RFC 9110 §9.2.2). */
const IDEMPOTENT_METHODS: ReadonlySet<HttpMethod> = new Set(["GET", "HEAD", "PUT", "DELETE"]);

export function isIdempotent(method: HttpMethod): boolean {
  return IDEMPOTENT_METHODS.has(method);
}

/** undici gives repeated headers as arrays; callers get one string, as `Headers.get` would. */
export function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

export function lowerCaseKeys(headers: Record<string, string> | undefined): Record<string, string> {
  const lowered: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) lowered[name.toLowerCase()] = value;
  return lowered;
}
