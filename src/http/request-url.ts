import { AutopilotError } from "../errors/autopilot-error.ts";
import type { QueryValue } from "./types.ts";

/**
 * A target's base URL, checked once when its client is built, and the request targets made
 * from it. Requests only ever go to this origin: paths are appended to the base path, never
 * resolved as URLs, so a path cannot redirect a request (and its token) elsewhere.
 */
export interface BaseUrl {
  /** scheme://host:port */
  origin: string;
  protocol: "http:" | "https:";
  /** The base URL's own path without its trailing slash ("" for most targets). */
  basePath: string;
}

export function parseBaseUrl(target: string, baseUrl: string): BaseUrl {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new AutopilotError("config", `${target}: "${baseUrl}" is not a URL`, {
      hint: `set the URL of ${target} to its base address, e.g. https://${target}.lab.example.com`,
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new AutopilotError("config", `${target}: URL must use http or https, not ${url.protocol}`, {
      hint: `set the URL of ${target} to its http(s) base address`,
    });
  }
  if (url.username !== "" || url.password !== "") {
    // The URL is logged and shown; credentials belong in the target's token or basicAuth fields.
    throw new AutopilotError("config", `${target}: the URL must not contain a user name or password`, {
      hint: `remove the credentials from the URL of ${target} and give them as secret references instead`,
    });
  }
  if (url.search !== "" || url.hash !== "") {
    throw new AutopilotError("config", `${target}: the URL must not have a query or fragment`, {
      hint: `set the URL of ${target} to its base address only`,
    });
  }
  return { origin: url.origin, protocol: url.protocol, basePath: url.pathname.replace(/\/+$/, "") };
}

/** The request target (path and query) sent for `path` under the base URL. */
export function requestTarget(base: BaseUrl, path: string, query?: Record<string, QueryValue>): string {
  if (!path.startsWith("/")) {
    throw new AutopilotError("internal", `request path must start with "/": ${path}`);
  }
  const search = encodeQuery(query);
  return `${base.basePath}${path}${search === "" ? "" : `${path.includes("?") ? "&" : "?"}${search}`}`;
}

/** `undefined` values are left out; arrays repeat the key (`a=1&a=2`), as Authentik expects. */
export function encodeQuery(query: Record<string, QueryValue> | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      for (const item of value) params.append(key, String(item));
    } else {
      params.append(key, String(value));
    }
  }
  return params.toString();
}
