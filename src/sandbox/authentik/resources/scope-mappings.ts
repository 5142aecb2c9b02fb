import { anyOf, boolean, exact, type ListSpec } from "../list-query.ts";
import type { OperationContext, OperationHandler } from "../operation.ts";
import { canView } from "../operation.ts";
import type { ScopeMappingRecord } from "../records.ts";
import { listResponse } from "./list-response.ts";
import { byUuid } from "./object-lookup.ts";

/**
 * /propertymappings/provider/scope/. `managed` repeats (managed=a&managed=b) and only accepts
 * values some mapping has: asking for an unknown managed id is a 400, not an empty list.
 */
export function scopeMappingHandlers(): OperationHandler[] {
  return [
    {
      operationId: "propertymappings_provider_scope_list",
      handle: (ctx) => {
        const { state } = ctx;
        const spec: ListSpec<ScopeMappingRecord> = {
          filters: {
            managed: anyOf(
              (m) => m.managed,
              () => state.scopeMappings.all().map((m) => m.managed),
            ),
            managed__isnull: boolean((m) => m.managed === null),
            name: exact((m) => m.name),
            scope_name: exact((m) => m.scope_name),
          },
          searchFields: (m) => [m.name],
          ordering: ["scope_name", "name"],
        };
        const rows = canView(ctx) ? state.scopeMappings.all() : [];
        return listResponse(rows, ctx.query, spec, renderScopeMapping);
      },
    },
    {
      operationId: "propertymappings_provider_scope_retrieve",
      handle: (ctx: OperationContext) => ({
        status: 200,
        body: renderScopeMapping(
          byUuid(ctx.state.scopeMappings, ctx.params.pm_uuid ?? "", "ScopeMapping", canView(ctx)),
        ),
      }),
    },
  ];
}

export function renderScopeMapping(mapping: ScopeMappingRecord): Record<string, unknown> {
  return {
    pk: mapping.pk,
    managed: mapping.managed,
    name: mapping.name,
    expression: mapping.expression,
    component: "ak-property-mapping-provider-scope-form",
    verbose_name: "Scope Mapping",
    verbose_name_plural: "Scope Mappings",
    meta_model_name: "authentik_providers_oauth2.scopemapping",
    scope_name: mapping.scope_name,
    description: mapping.description,
  };
}
