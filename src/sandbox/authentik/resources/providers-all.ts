import { boolean, type ListSpec } from "../list-query.ts";
import type { OperationHandler } from "../operation.ts";
import { canView } from "../operation.ts";
import type { ProviderRecord } from "../records.ts";
import { listResponse } from "./list-response.ts";
import { renderProviderBase } from "./provider-render.ts";

/** /providers/all/: every provider type in one list, in the shared base shape. */
export function allProvidersHandlers(): OperationHandler[] {
  return [
    {
      operationId: "providers_all_list",
      handle: (ctx) => {
        const { state } = ctx;
        const spec: ListSpec<ProviderRecord> = {
          filters: {
            application__isnull: boolean((p) => !state.applications.find((a) => a.provider === p.pk)),
            // No simulated provider type is backchannel-only (those are SCIM, RAC, SSF, ...).
            backchannel: boolean(() => false),
          },
          searchFields: (p) => [p.name, state.applications.find((a) => a.provider === p.pk)?.name],
          ordering: ["pk"],
        };
        const rows = canView(ctx) ? state.providers.all() : [];
        return listResponse(rows, ctx.query, spec, (p) => renderProviderBase(state, p));
      },
    },
  ];
}
