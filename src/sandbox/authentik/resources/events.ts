import { formatTimestamp } from "../clock.ts";
import { anyOf, exact, type ListSpec } from "../list-query.ts";
import type { OperationHandler } from "../operation.ts";
import { canView } from "../operation.ts";
import type { EventRecord } from "../records.ts";
import { listResponse } from "./list-response.ts";

/** /events/events/ (list only): newest first unless `ordering` says otherwise. */
const ACTIONS = ["model_created", "model_updated", "model_deleted", "secret_view", "secret_rotate"];

const contextModel = (e: EventRecord, key: string) =>
  ((e.context.model ?? e.context.secret) as Record<string, unknown> | undefined)?.[key] as string | undefined;

const listSpec: ListSpec<EventRecord> = {
  filters: {
    action: exact((e) => e.action),
    actions: anyOf(
      (e) => e.action,
      () => ACTIONS,
    ),
    username: exact((e) => e.user.username as string | undefined),
    client_ip: exact((e) => e.client_ip),
    context_model_app: exact((e) => contextModel(e, "app")),
    context_model_name: exact((e) => contextModel(e, "model_name")),
    context_model_pk: exact((e) => contextModel(e, "pk")),
  },
  searchFields: (e) => [e.action, e.app, e.user.username, JSON.stringify(e.context)],
  ordering: ["-created"],
};

export function eventHandlers(): OperationHandler[] {
  return [
    {
      operationId: "events_events_list",
      handle: (ctx) =>
        listResponse(canView(ctx) ? ctx.state.events.all() : [], ctx.query, listSpec, renderEvent),
    },
  ];
}

export function renderEvent(event: EventRecord): Record<string, unknown> {
  return {
    pk: event.pk,
    user: event.user,
    action: event.action,
    app: event.app,
    context: event.context,
    client_ip: event.client_ip,
    created: formatTimestamp(event.created),
    expires: formatTimestamp(event.expires),
    brand: event.brand,
  };
}
