import { modelRef } from "../audit-events.ts";
import { anyOfIntegerPk, boolean, icontains, iexact, type ListSpec } from "../list-query.ts";
import type { OperationContext, OperationHandler, ValidatedInput } from "../operation.ts";
import { canView, requireSuperuser } from "../operation.ts";
import type { OutpostRecord, ProviderRecord } from "../records.ts";
import {
  addOutpostServiceAccount,
  EMBEDDED_OUTPOST_MANAGED,
  EMBEDDED_OUTPOST_NAME,
  outpostTokenIdentifier,
} from "../seed.ts";
import type { AuthentikState } from "../state.ts";
import { listResponse } from "./list-response.ts";
import { byUuid } from "./object-lookup.ts";
import { PROVIDER_META, renderProviderBase } from "./provider-render.ts";
import { checkManyPks, checkUnique, checkUuidPk, uuidOrNull } from "./relation-checks.ts";

/**
 * /outposts/instances/. `providers` is replaced wholesale by PATCH (there is no add/remove
 * action), and the provider/outpost type match is only checked when the request carries `type`,
 * so a bare providers PATCH can attach an OAuth2 provider to a proxy outpost. Only the embedded
 * outpost may have no providers, and its name cannot change.
 */
const WRITABLE = ["name", "type", "providers", "service_connection", "config", "managed"] as const;
const TYPE_CLASSES: Record<string, ProviderRecord["kind"] | undefined> = { proxy: "proxy" };

export function outpostHandlers(): OperationHandler[] {
  return [
    {
      operationId: "outposts_instances_list",
      handle: (ctx) => {
        const { state } = ctx;
        const spec: ListSpec<OutpostRecord> = {
          filters: {
            name__iexact: iexact((o) => o.name),
            name__icontains: icontains((o) => o.name),
            managed__iexact: iexact((o) => o.managed),
            managed__icontains: icontains((o) => o.managed),
            providers__isnull: boolean((o) => o.providers.length === 0),
            providers_by_pk: anyOfIntegerPk(
              (o) => o.providers,
              () => state.providers.all().map((p) => p.pk),
            ),
          },
          searchFields: (o) => [o.name, ...o.providers.map((pk) => state.providers.get(pk)?.name)],
          ordering: ["name"],
        };
        const rows = canView(ctx) ? state.outposts.all() : [];
        return listResponse(rows, ctx.query, spec, (o) => renderOutpost(state, o));
      },
    },
    {
      operationId: "outposts_instances_create",
      handle: (ctx) => {
        requireSuperuser(ctx);
        const input = ctx.input();
        validate(ctx.state, input, undefined);
        const outpost = ctx.state.addOutpost(pick(input.data) as OutpostRecord);
        addOutpostServiceAccount(ctx.state, outpost);
        ctx.record("model_created", ref(outpost));
        return { status: 201, body: renderOutpost(ctx.state, outpost) };
      },
    },
    {
      operationId: "outposts_instances_retrieve",
      handle: (ctx) => ({ status: 200, body: renderOutpost(ctx.state, find(ctx)) }),
    },
    { operationId: "outposts_instances_update", handle: update },
    { operationId: "outposts_instances_partial_update", handle: update },
    {
      operationId: "outposts_instances_destroy",
      handle: (ctx) => {
        const outpost = find(ctx);
        ctx.state.outposts.delete(outpost.pk);
        const token = ctx.state.tokens.find((t) => t.identifier === outpostTokenIdentifier(outpost.pk));
        if (token) {
          ctx.state.tokens.delete(token.pk);
          ctx.state.users.delete(token.user);
        }
        ctx.record("model_deleted", ref(outpost));
        return { status: 204 };
      },
    },
  ];
}

function find(ctx: OperationContext): OutpostRecord {
  return byUuid(ctx.state.outposts, ctx.params.uuid ?? "", "Outpost", canView(ctx));
}

function update(ctx: OperationContext) {
  const outpost = find(ctx);
  requireSuperuser(ctx);
  const input = ctx.input();
  validate(ctx.state, input, outpost);
  Object.assign(outpost, pick(input.data));
  ctx.record("model_updated", ref(outpost));
  return { status: 200, body: renderOutpost(ctx.state, outpost) };
}

function validate(state: AuthentikState, input: ValidatedInput, self: OutpostRecord | undefined): void {
  const { data, errors } = input;
  if (self && typeof data.name === "string" && !errors.has("name")) {
    if (self.managed === EMBEDDED_OUTPOST_MANAGED && data.name !== EMBEDDED_OUTPOST_NAME) {
      errors.add("name", "Embedded outpost's name cannot be changed");
    }
  }
  checkUnique(
    errors,
    "name",
    typeof data.name === "string" &&
      state.outposts.find((o) => o.name === data.name && o !== self) !== undefined,
    "Outpost with this name already exists.",
  );
  checkManyPks<number>(errors, "providers", data.providers, (pk) => state.providers.get(pk) !== undefined);
  if (Array.isArray(data.providers) && !errors.has("providers")) {
    const providers = (data.providers as number[]).map((pk) => state.providers.get(pk) as ProviderRecord);
    if ("type" in data && !errors.has("type")) {
      const wanted = TYPE_CLASSES[String(data.type)];
      const mismatch = providers.find((p) => p.kind !== wanted);
      if (mismatch) {
        errors.add(
          "providers",
          `Outpost type ${String(data.type)} can't be used with ${PROVIDER_META[mismatch.kind].modelClass} providers.`,
        );
      }
    }
    if (!errors.has("providers") && providers.length === 0 && self?.managed !== EMBEDDED_OUTPOST_MANAGED) {
      errors.add("providers", "This list may not be empty.");
    }
  }
  // Service connections are not simulated, so any given one is unknown.
  checkUuidPk(errors, "service_connection", data.service_connection, () => false);
  errors.throwIfAny();
}

function pick(data: Record<string, unknown>): Partial<OutpostRecord> {
  const out: Record<string, unknown> = {};
  for (const key of WRITABLE) {
    if (key in data) out[key] = key === "service_connection" ? uuidOrNull(data[key]) : data[key];
  }
  return out as Partial<OutpostRecord>;
}

function ref(outpost: OutpostRecord) {
  return modelRef("authentik_outposts", "outpost", outpost.pk, outpost.name);
}

export function renderOutpost(state: AuthentikState, outpost: OutpostRecord): Record<string, unknown> {
  return {
    pk: outpost.pk,
    name: outpost.name,
    type: outpost.type,
    providers: outpost.providers,
    providers_obj: outpost.providers
      .map((pk) => state.providers.get(pk))
      .filter((p): p is ProviderRecord => p !== undefined)
      .map((p) => renderProviderBase(state, p)),
    service_connection: outpost.service_connection,
    service_connection_obj: null,
    refresh_interval_s: refreshIntervalSeconds(outpost.config.refresh_interval),
    token_identifier: outpostTokenIdentifier(outpost.pk),
    config: outpost.config,
    managed: outpost.managed,
  };
}

const UNIT_SECONDS: Record<string, number> = {
  weeks: 604800,
  days: 86400,
  hours: 3600,
  minutes: 60,
  seconds: 1,
};

/** authentik's timedelta_from_string ("minutes=5;seconds=30"); 300 when unset or unreadable. */
function refreshIntervalSeconds(value: unknown): number {
  if (typeof value !== "string") return 300;
  let total = 0;
  for (const part of value.split(";")) {
    const [unit, amount] = part.split("=");
    const factor = UNIT_SECONDS[(unit ?? "").trim()];
    if (factor === undefined || amount === undefined || Number.isNaN(Number(amount))) return 300;
    total += factor * Number(amount);
  }
  return Math.round(total);
}
