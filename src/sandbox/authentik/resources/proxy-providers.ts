import { modelRef } from "../audit-events.ts";
import { notFound } from "../errors.ts";
import { iexact, isNull, type ListSpec } from "../list-query.ts";
import type { OperationContext, OperationHandler, ValidatedInput } from "../operation.ts";
import { canView, requireSuperuser } from "../operation.ts";
import { applyProxyOAuthDefaults } from "../proxy-oauth-defaults.ts";
import type { ProxyProviderRecord } from "../records.ts";
import type { AuthentikState } from "../state.ts";
import { listResponse } from "./list-response.ts";
import { byIntegerId } from "./object-lookup.ts";
import { detachProvider, renderProviderBase } from "./provider-render.ts";
import { checkHttpUrl, validateProviderBase } from "./provider-validation.ts";
import { checkUuidPk, uuidOrNull, uuids } from "./relation-checks.ts";

/**
 * /providers/proxy/. Traps reproduced: the list has no `name` filter (only name__iexact), so
 * `?name=x` returns every proxy provider; every create and update adds the managed scope
 * mappings and rewrites redirect_uris from external_host; and the "internal_host is required in
 * proxy mode" check reads only the fields in the request, so a PATCH that does not repeat `mode`
 * is judged as mode=proxy and fails for a forward-auth provider.
 */
const WRITABLE = [
  "name",
  "authentication_flow",
  "authorization_flow",
  "invalidation_flow",
  "property_mappings",
  "internal_host",
  "external_host",
  "internal_host_ssl_validation",
  "certificate",
  "skip_path_regex",
  "basic_auth_enabled",
  "basic_auth_password_attribute",
  "basic_auth_user_attribute",
  "mode",
  "intercept_header_auth",
  "cookie_domain",
  "jwt_federation_sources",
  "jwt_federation_providers",
  "access_token_validity",
  "refresh_token_validity",
] as const;
const UUID_FIELDS = new Set([
  "authentication_flow",
  "authorization_flow",
  "invalidation_flow",
  "certificate",
]);
const UUID_LIST_FIELDS = new Set(["property_mappings", "jwt_federation_sources"]);

const listSpec: ListSpec<ProxyProviderRecord> = {
  filters: {
    name__iexact: iexact((p) => p.name),
    mode__iexact: iexact((p) => p.mode),
    external_host__iexact: iexact((p) => p.external_host),
    internal_host__iexact: iexact((p) => p.internal_host),
    cookie_domain__iexact: iexact((p) => p.cookie_domain),
    skip_path_regex__iexact: iexact((p) => p.skip_path_regex),
    basic_auth_enabled__iexact: iexact((p) => String(p.basic_auth_enabled)),
    internal_host_ssl_validation__iexact: iexact((p) => String(p.internal_host_ssl_validation)),
    certificate__kp_uuid__iexact: iexact((p) => p.certificate),
  },
  searchFields: (p) => [p.name],
  ordering: ["name"],
};

export function proxyProviderHandlers(): OperationHandler[] {
  return [
    {
      operationId: "providers_proxy_list",
      handle: (ctx) => {
        const spec: ListSpec<ProxyProviderRecord> = {
          ...listSpec,
          filters: {
            ...listSpec.filters,
            application__isnull: isNull((p) => !ctx.state.applications.find((a) => a.provider === p.pk)),
            authorization_flow__slug__iexact: iexact((p) => ctx.state.flows.get(p.authorization_flow)?.slug),
          },
        };
        return listResponse(proxyProviders(ctx), ctx.query, spec, (p) => renderProxyProvider(ctx.state, p));
      },
    },
    {
      operationId: "providers_proxy_create",
      handle: (ctx) => {
        requireSuperuser(ctx);
        const input = ctx.input();
        validate(ctx.state, input, undefined);
        const provider = ctx.state.addProxyProvider(pick(input.data) as ProxyProviderRecord);
        ctx.record("model_created", ref(provider));
        return { status: 201, body: renderProxyProvider(ctx.state, provider) };
      },
    },
    {
      operationId: "providers_proxy_retrieve",
      handle: (ctx) => ({ status: 200, body: renderProxyProvider(ctx.state, find(ctx)) }),
    },
    { operationId: "providers_proxy_update", handle: update },
    { operationId: "providers_proxy_partial_update", handle: update },
    {
      operationId: "providers_proxy_destroy",
      handle: (ctx) => {
        const provider = find(ctx);
        ctx.state.providers.delete(provider.pk);
        detachProvider(ctx.state, provider.pk);
        ctx.record("model_deleted", ref(provider));
        return { status: 204 };
      },
    },
  ];
}

function proxyProviders(ctx: OperationContext): ProxyProviderRecord[] {
  if (!canView(ctx)) return [];
  return ctx.state.providers.all().filter((p): p is ProxyProviderRecord => p.kind === "proxy");
}

function find(ctx: OperationContext): ProxyProviderRecord {
  const provider = byIntegerId(ctx.state.providers, ctx.params.id ?? "", "ProxyProvider", canView(ctx));
  if (provider.kind !== "proxy") throw notFound("ProxyProvider");
  return provider;
}

function update(ctx: OperationContext) {
  const provider = find(ctx);
  requireSuperuser(ctx);
  const input = ctx.input();
  validate(ctx.state, input, provider);
  Object.assign(provider, pick(input.data));
  applyProxyOAuthDefaults(provider, ctx.state.scopeMappings);
  ctx.record("model_updated", ref(provider));
  return { status: 200, body: renderProxyProvider(ctx.state, provider) };
}

function validate(state: AuthentikState, input: ValidatedInput, self: ProxyProviderRecord | undefined): void {
  const { data, errors } = input;
  validateProviderBase(state, data, errors, self);
  checkHttpUrl(errors, "external_host", data.external_host);
  checkHttpUrl(errors, "internal_host", data.internal_host);
  checkUuidPk(errors, "certificate", data.certificate, (pk) => state.keypairs.get(pk) !== undefined);
  // validate_basic_auth_enabled reads the raw request, not the stored object.
  if (data.basic_auth_enabled === true && !errors.has("basic_auth_enabled")) {
    if (!data.basic_auth_password_attribute || !data.basic_auth_user_attribute) {
      errors.add(
        "basic_auth_enabled",
        "User and password attributes must be set when basic auth is enabled.",
      );
    }
  }
  errors.throwIfAny();
  // Object-level validate(attrs): only what this request carries counts.
  const mode = data.mode ?? "proxy";
  if (mode === "proxy" && (data.internal_host ?? "") === "") {
    errors.add("internal_host", "Internal host cannot be empty when forward auth is disabled.");
    errors.throwIfAny();
  }
}

function pick(data: Record<string, unknown>): Partial<ProxyProviderRecord> {
  const out: Record<string, unknown> = {};
  for (const key of WRITABLE) {
    if (!(key in data)) continue;
    const value = data[key];
    if (UUID_FIELDS.has(key)) out[key] = uuidOrNull(value);
    else if (UUID_LIST_FIELDS.has(key)) out[key] = uuids(value);
    else out[key] = value;
  }
  return out as Partial<ProxyProviderRecord>;
}

function ref(provider: ProxyProviderRecord) {
  return modelRef("authentik_providers_proxy", "proxyprovider", provider.pk, provider.name);
}

export function renderProxyProvider(state: AuthentikState, p: ProxyProviderRecord): Record<string, unknown> {
  return {
    ...renderProviderBase(state, p),
    client_id: p.client_id,
    internal_host: p.internal_host,
    external_host: p.external_host,
    internal_host_ssl_validation: p.internal_host_ssl_validation,
    certificate: p.certificate,
    skip_path_regex: p.skip_path_regex,
    basic_auth_enabled: p.basic_auth_enabled,
    basic_auth_password_attribute: p.basic_auth_password_attribute,
    basic_auth_user_attribute: p.basic_auth_user_attribute,
    mode: p.mode,
    intercept_header_auth: p.intercept_header_auth,
    redirect_uris: p.redirect_uris,
    cookie_domain: p.cookie_domain,
    jwt_federation_sources: p.jwt_federation_sources,
    jwt_federation_providers: p.jwt_federation_providers,
    access_token_validity: p.access_token_validity,
    refresh_token_validity: p.refresh_token_validity,
    outpost_set: state.outposts
      .all()
      .filter((o) => o.providers.includes(p.pk))
      .map((o) => `Outpost ${o.name}`),
  };
}
