import type { SimResponse } from "../common/sim-server.ts";

/**
 * Bodies for the faults the sandbox injects, as a client of a real authentik sees them.
 *
 * Throttling is DRF's Throttled exception (authentik only throttles anonymous calls, but a
 * client must cope with the answer wherever it comes from). Server errors come from what sits in
 * front of the Django backend: authentik's own Go router answers 503 "authentik starting" (with
 * Retry-After: 5) while the backend boots and 502 "failed to connect to authentik backend: ..."
 * when it cannot reach it, as plain text for a client that does not ask for JSON (the generated
 * client sends no Accept header); a Django 500 is its HTML error page. None of them is the JSON
 * the client expects, which is the point: a client must not assume error bodies parse.
 */
export function throttledResponse(retryAfterSeconds: number): SimResponse {
  const unit = retryAfterSeconds === 1 ? "second" : "seconds";
  return {
    status: 429,
    body: { detail: `Request was throttled. Expected available in ${retryAfterSeconds} ${unit}.` },
  };
}

export function serverErrorResponse(status: number): SimResponse {
  if (status === 503) {
    return {
      status,
      text: "authentik starting",
      headers: { "content-type": "text/plain", "retry-after": "5" },
    };
  }
  if (status === 500) return htmlPage(500, "Server Error");
  return {
    status,
    text: "failed to connect to authentik backend: dial tcp 127.0.0.1:8000: connect: connection refused",
    headers: { "content-type": "text/plain" },
  };
}

/** Django's error page (authentik's if/error.html), for 404s outside any API route and 500s. */
export function htmlPage(status: number, title: string): SimResponse {
  return {
    status,
    text: `<!DOCTYPE html>\n<html lang="en"><head><meta charset="UTF-8"><title>${title} - authentik</title></head><body><h1>${title}</h1></body></html>\n`,
    headers: { "content-type": "text/html; charset=utf-8" },
  };
}
