import { exact, type ListSpec } from "../list-query.ts";
import type { OperationContext, OperationHandler } from "../operation.ts";
import { canView } from "../operation.ts";
import type { FlowRecord } from "../records.ts";
import { listResponse } from "./list-response.ts";
import { byField } from "./object-lookup.ts";

/** /flows/instances/: the default flows exist from the start; looked up by slug. */
const listSpec: ListSpec<FlowRecord> = {
  filters: {
    slug: exact((f) => f.slug),
    name: exact((f) => f.name),
    designation: exact((f) => f.designation),
    flow_uuid: exact((f) => f.pk),
    denied_action: exact((f) => f.denied_action),
  },
  searchFields: (f) => [f.name, f.slug, f.title, f.designation],
  ordering: ["slug", "order"],
};

export function flowHandlers(): OperationHandler[] {
  return [
    {
      operationId: "flows_instances_list",
      handle: (ctx) =>
        listResponse(canView(ctx) ? ctx.state.flows.all() : [], ctx.query, listSpec, renderFlow),
    },
    {
      operationId: "flows_instances_retrieve",
      handle: (ctx) => ({ status: 200, body: renderFlow(find(ctx)) }),
    },
  ];
}

function find(ctx: OperationContext): FlowRecord {
  return byField(ctx.state.flows, (f) => f.slug === ctx.params.slug, "Flow", canView(ctx));
}

export function renderFlow(flow: FlowRecord): Record<string, unknown> {
  return {
    pk: flow.pk,
    policybindingmodel_ptr_id: flow.pk,
    name: flow.name,
    slug: flow.slug,
    title: flow.title,
    designation: flow.designation,
    background: flow.background,
    background_url: "/static/dist/assets/images/flow_background.jpg",
    background_themed_urls: null,
    stages: [],
    policies: [],
    cache_count: 0,
    policy_engine_mode: flow.policy_engine_mode,
    compatibility_mode: flow.compatibility_mode,
    export_url: `/api/v3/flows/instances/${flow.slug}/export/`,
    layout: flow.layout,
    denied_action: flow.denied_action,
    authentication: flow.authentication,
  };
}
