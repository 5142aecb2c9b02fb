/**
 * Response bodies as callers want them: parsed JSON when the server says it is JSON, the text
 * otherwise, undefined when there is none.
 */
const JSON_CONTENT_TYPE = /^application\/(?:[\w.-]+\+)?json(?:\s*;|$)/i;

export function isJsonContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && JSON_CONTENT_TYPE.test(contentType.trim());
}

export type ParsedBody = { ok: true; value: unknown } | { ok: false; text: string };

export function parseResponseBody(bytes: Uint8Array, contentType: string | undefined): ParsedBody {
  if (bytes.length === 0) return { ok: true, value: undefined };
  const text = Buffer.from(bytes).toString("utf8");
  if (!isJsonContentType(contentType)) return { ok: true, value: text };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, text };
  }
}

/** For error bodies, where anything the server said is worth keeping. */
export function parseErrorBody(bytes: Uint8Array, contentType: string | undefined): unknown {
  const parsed = parseResponseBody(bytes, contentType);
  return parsed.ok ? parsed.value : parsed.text;
}
