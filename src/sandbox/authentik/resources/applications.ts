import { modelRef } from "../audit-events.ts";
import { applyFilters, applyOrdering, exact, type ListSpec } from "../list-query.ts";
import type { OperationContext, OperationHandler, ValidatedInput } from "../operation.ts";
import { canView, requireSuperuser } from "../operation.ts";
import { paginate } from "../pagination.ts";
import type { ApplicationRecord, ProviderRecord } from "../records.ts";
import type { AuthentikState } from "../state.ts";
import { byField } from "./object-lookup.ts";
import { renderProviderBase } from "./provider-render.ts";
import { checkIntegerPk, checkManyPks, checkUnique } from "./relation-checks.ts";

/**
 * /core/applications/: looked up by slug. The provider link is one-to-one: a provider backs at
 * most one application. The list is the policy-filtered "what may this user launch" view unless a
 * superuser asks for superuser_full_list=true; it is paginated *before* the filtering, so a page
 * can hold fewer results than page_size while count still includes hidden apps.
 */
const RESERVED_SLUGS = ["authorize", "token", "device", "userinfo", "introspect", "revoke"];
const WRITABLE = [
  "name",
  "slug",
  "provider",
  "backchannel_providers",
  "open_in_new_tab",
  "meta_launch_url",
  "meta_icon",
  "meta_description",
  "meta_publisher",
  "policy_engine_mode",
  "group",
  "meta_hide",
] as const;

const listSpec: ListSpec<ApplicationRecord> = {
  filters: {
    name: exact((a) => a.name),
    slug: exact((a) => a.slug),
    meta_launch_url: exact((a) => a.meta_launch_url),
    meta_description: exact((a) => a.meta_description),
    meta_publisher: exact((a) => a.meta_publisher),
    group: exact((a) => a.group),
  },
  searchFields: (a) => [a.name, a.slug, a.meta_launch_url, a.meta_description, a.meta_publisher, a.group],
  ordering: ["name"],
};

export function applicationHandlers(): OperationHandler[] {
  return [
    { operationId: "core_applications_list", handle: list },
    {
      operationId: "core_applications_create",
      handle: (ctx) => {
        requireSuperuser(ctx);
        const input = ctx.input();
        validate(ctx.state, input, undefined);
        const app = ctx.state.addApplication(pick(input.data) as ApplicationRecord);
        ctx.record("model_created", ref(app));
        return { status: 201, body: renderApplication(ctx.state, app) };
      },
    },
    {
      operationId: "core_applications_retrieve",
      handle: (ctx) => ({ status: 200, body: renderApplication(ctx.state, find(ctx)) }),
    },
    { operationId: "core_applications_update", handle: (ctx) => update(ctx) },
    { operationId: "core_applications_partial_update", handle: (ctx) => update(ctx) },
    {
      operationId: "core_applications_destroy",
      handle: (ctx) => {
        const app = find(ctx);
        ctx.state.applications.delete(app.pk);
        ctx.record("model_deleted", ref(app));
        return { status: 204 };
      },
    },
  ];
}

function list(ctx: OperationContext) {
  const rows = applyFilters(ctx.state.applications.all(), ctx.query, listSpec);
  const ordered = applyOrdering(
    rows.map((app) => renderApplication(ctx.state, app)),
    ctx.query,
    listSpec.ordering,
  );
  const page = paginate(ordered, ctx.query);
  const fullList = ctx.query.get("superuser_full_list")?.toLowerCase() === "true" && canView(ctx);
  if (!fullList) page.results = page.results.filter((app) => app.meta_hide !== true);
  return { status: 200, body: page };
}

function find(ctx: OperationContext): ApplicationRecord {
  return byField(ctx.state.applications, (a) => a.slug === ctx.params.slug, "Application", canView(ctx));
}

function update(ctx: OperationContext) {
  const app = find(ctx);
  requireSuperuser(ctx);
  const input = ctx.input();
  validate(ctx.state, input, app);
  Object.assign(app, pick(input.data));
  ctx.record("model_updated", ref(app));
  return { status: 200, body: renderApplication(ctx.state, app) };
}

function validate(state: AuthentikState, input: ValidatedInput, self: ApplicationRecord | undefined): void {
  const { data, errors } = input;
  if (typeof data.slug === "string" && !errors.has("slug")) {
    checkUnique(
      errors,
      "slug",
      state.applications.find((a) => a.slug === data.slug && a !== self) !== undefined,
      "Application with this slug already exists.",
    );
    if (RESERVED_SLUGS.includes(data.slug)) {
      errors.add("slug", `The slug '${data.slug}' is reserved and cannot be used for applications.`);
    }
  }
  checkIntegerPk(errors, "provider", data.provider, (pk) => state.providers.get(pk) !== undefined);
  checkUnique(
    errors,
    "provider",
    data.provider !== null &&
      data.provider !== undefined &&
      state.applications.find((a) => a.provider === data.provider && a !== self) !== undefined,
    "Application with this provider already exists.",
  );
  checkManyPks<number>(
    errors,
    "backchannel_providers",
    data.backchannel_providers,
    (pk) => state.providers.get(pk) !== undefined,
  );
  errors.throwIfAny();
}

function pick(data: Record<string, unknown>): Partial<ApplicationRecord> {
  const out: Record<string, unknown> = {};
  for (const key of WRITABLE) if (key in data) out[key] = data[key];
  return out as Partial<ApplicationRecord>;
}

function ref(app: ApplicationRecord) {
  return modelRef("authentik_core", "application", app.pk, app.name);
}

export function renderApplication(state: AuthentikState, app: ApplicationRecord): Record<string, unknown> {
  const provider = app.provider === null ? undefined : state.providers.get(app.provider);
  return {
    pk: app.pk,
    pbm_uuid: app.pk,
    name: app.name,
    slug: app.slug,
    provider: app.provider,
    provider_obj: provider ? renderProviderBase(state, provider) : null,
    backchannel_providers: app.backchannel_providers,
    backchannel_providers_obj: app.backchannel_providers
      .map((pk) => state.providers.get(pk))
      .filter((p): p is ProviderRecord => p !== undefined)
      .map((p) => renderProviderBase(state, p)),
    launch_url: app.meta_launch_url || (provider ? providerLaunchUrl(provider) : null),
    open_in_new_tab: app.open_in_new_tab,
    meta_launch_url: app.meta_launch_url,
    meta_icon: app.meta_icon,
    meta_icon_url: iconUrl(app.meta_icon),
    meta_icon_themed_urls: null,
    meta_description: app.meta_description,
    meta_publisher: app.meta_publisher,
    policy_engine_mode: app.policy_engine_mode,
    group: app.group,
    meta_hide: app.meta_hide,
  };
}

/** Proxy: the external host. OAuth2: the first redirect URI without its path. */
function providerLaunchUrl(provider: ProviderRecord): string | null {
  if (provider.kind === "proxy") return provider.external_host;
  const first = provider.redirect_uris[0];
  if (!first) return null;
  try {
    const url = new URL(first.url);
    return `${url.protocol}//${url.host}${url.search}${url.hash}`;
  } catch {
    return null;
  }
}

function iconUrl(icon: string): string | null {
  if (icon === "") return null;
  return /^https?:\/\//.test(icon) || icon.startsWith("fa://") ? icon : `/files/media/public/${icon}`;
}
