import type { SimRequest } from "../common/sim-server.ts";
import { ApiError, unsupportedMediaType } from "./errors.ts";

/**
 * DRF's request.data with authentik's ORJSONParser: an empty body is `{}` whatever its type, a
 * body in anything but application/json is a 415, and unparseable JSON is a 400 whose text after
 * the dash comes from the parser (orjson; ours imitates its wording and positions).
 */
export function parseRequestBody(request: SimRequest): unknown {
  if (request.rawBody.length === 0) return {};
  const contentType = request.headers["content-type"] ?? "";
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/json") throw unsupportedMediaType(contentType);
  const text = request.rawBody.toString("utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, { detail: `JSON parse error - ${orjsonStyleMessage(text, error)}` });
  }
}

function orjsonStyleMessage(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : "";
  const position = Number(
    /position (\d+)/.exec(message)?.[1] ?? (message.includes("end of") ? text.length : 0),
  );
  const kind = position >= text.trimEnd().length ? "unexpected end of data" : "unexpected character";
  const before = text.slice(0, position);
  const line = before.split("\n").length;
  const column = position - before.lastIndexOf("\n");
  return `${kind}: line ${line} column ${column} (char ${position})`;
}
