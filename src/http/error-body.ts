/**
 * The useful part of a server's error body, for an error message: what the server said, in one
 * short line. Knows the shapes of the systems Autopilot talks to:
 * - Authentik (DRF): `{"detail": "..."}` or field errors `{"slug": ["..."], "non_field_errors": [...]}`
 * - Grafana: `{"message": "...", "status"?: "version-mismatch"}`, RBAC `{"title", "message"}`
 * - Vault: `{"errors": ["..."]}`
 * The result is redacted later, with the rest of the message.
 */
export const MAX_EXCERPT_LENGTH = 300;

export function summarizeErrorBody(body: unknown): string | undefined {
  const summary = typeof body === "string" ? summarizeText(body) : summarizeObject(body);
  if (summary === undefined || summary === "") return undefined;
  return summary.length > MAX_EXCERPT_LENGTH ? `${summary.slice(0, MAX_EXCERPT_LENGTH - 1)}…` : summary;
}

function summarizeText(text: string): string | undefined {
  const trimmed = text.trim();
  // An HTML error page (a proxy's 502, a login page) has nothing worth quoting.
  if (trimmed.startsWith("<")) return undefined;
  return trimmed.split("\n")[0]?.trim();
}

function summarizeObject(body: unknown): string | undefined {
  if (!isRecord(body)) return Array.isArray(body) ? flatten(body) : undefined;
  const parts: string[] = [];
  if (typeof body.detail === "string") parts.push(body.detail);
  if (typeof body.message === "string") parts.push(body.message);
  if (typeof body.status === "string" && parts.length > 0) parts.push(`(${body.status})`);
  if (Array.isArray(body.errors)) {
    const errors = flatten(body.errors);
    if (errors) parts.push(errors);
  }
  if (parts.length > 0) return parts.join(" ");
  // DRF validation errors: a map of field name to messages.
  const fields = Object.entries(body)
    .map(([field, value]) => {
      const messages = flatten(value);
      if (!messages) return undefined;
      return field === "non_field_errors" ? messages : `${field}: ${messages}`;
    })
    .filter((line): line is string => line !== undefined);
  return fields.length > 0 ? fields.join("; ") : undefined;
}

/** Every message in a nested structure of strings, arrays and objects, in order. */
function flatten(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    const items = value.map(flatten).filter((item): item is string => item !== undefined && item !== "");
    return items.length > 0 ? items.join(" ") : undefined;
  }
  if (isRecord(value)) return summarizeObject(value);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
