import type { Caller } from "./auth.ts";
import { DAY_MS } from "./clock.ts";
import { newUuid } from "./random-values.ts";
import type { EventRecord } from "./records.ts";
import type { AuthentikState } from "./state.ts";

/**
 * The audit events authentik writes for API calls. Model changes come from its audit middleware
 * (app "authentik.events.middleware"); secret views from the token viewset. Context follows
 * authentik's model_to_dict/sanitize_item: UUID primary keys appear as 32 hex digits.
 */
export interface ModelRef {
  app: string;
  model_name: string;
  pk: string | number;
  name: string;
}

export interface RequestInfo {
  method: string;
  path: string;
  query: URLSearchParams;
  userAgent: string;
}

export type EventAction = "model_created" | "model_updated" | "model_deleted" | "secret_view";

const RETENTION_MS = 365 * DAY_MS;

export function modelRef(app: string, modelName: string, pk: string | number, name: string): ModelRef {
  return { app, model_name: modelName, pk: typeof pk === "string" ? pk.replaceAll("-", "") : pk, name };
}

export function recordEvent(
  state: AuthentikState,
  caller: Caller | null,
  request: RequestInfo,
  action: EventAction,
  model: ModelRef,
): EventRecord {
  // Newest-first ordering needs distinct times; the real database has microseconds.
  const newest = state.events.all().at(-1)?.created ?? 0;
  const created = Math.max(state.now(), newest + 1);
  const key = action === "secret_view" ? "secret" : "model";
  return state.events.insert({
    pk: newUuid(),
    action,
    app: action === "secret_view" ? "authentik.core.api.tokens" : "authentik.events.middleware",
    context: {
      [key]: model,
      http_request: {
        args: Object.fromEntries(request.query),
        path: request.path,
        method: request.method,
        user_agent: request.userAgent,
      },
    },
    user: caller ? { username: caller.user.username, pk: caller.user.pk, email: caller.user.email } : {},
    client_ip: "127.0.0.1",
    created,
    expires: created + RETENTION_MS,
    brand: { app: "authentik_brands", model_name: "brand", pk: "", name: "Default brand" },
  });
}
