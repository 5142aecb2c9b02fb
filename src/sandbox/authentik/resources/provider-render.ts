import type { ProviderRecord } from "../records.ts";
import type { AuthentikState } from "../state.ts";

/**
 * ProviderSerializer: the part every provider shares, as the generic /providers/all/ list,
 * application.provider_obj and outpost.providers_obj show it.
 */
export const PROVIDER_META = {
  oauth2: {
    modelClass: "OAuth2Provider",
    component: "ak-provider-oauth2-form",
    verbose_name: "OAuth2/OpenID Provider",
    verbose_name_plural: "OAuth2/OpenID Providers",
    app: "authentik_providers_oauth2",
    model_name: "oauth2provider",
  },
  proxy: {
    modelClass: "ProxyProvider",
    component: "ak-provider-proxy-form",
    verbose_name: "Proxy Provider",
    verbose_name_plural: "Proxy Providers",
    app: "authentik_providers_proxy",
    model_name: "proxyprovider",
  },
} as const;

export function renderProviderBase(state: AuthentikState, provider: ProviderRecord): Record<string, unknown> {
  const meta = PROVIDER_META[provider.kind];
  const application = state.applications.find((a) => a.provider === provider.pk);
  const backchannel = state.applications.find((a) => a.backchannel_providers.includes(provider.pk));
  return {
    pk: provider.pk,
    name: provider.name,
    authentication_flow: provider.authentication_flow,
    authorization_flow: provider.authorization_flow,
    invalidation_flow: provider.invalidation_flow,
    property_mappings: provider.property_mappings,
    component: meta.component,
    assigned_application_slug: application?.slug ?? null,
    assigned_application_name: application?.name ?? null,
    assigned_backchannel_application_slug: backchannel?.slug ?? null,
    assigned_backchannel_application_name: backchannel?.name ?? null,
    verbose_name: meta.verbose_name,
    verbose_name_plural: meta.verbose_name_plural,
    meta_model_name: `${meta.app}.${meta.model_name}`,
  };
}

/** Deleting a provider: the app loses it (SET_DEFAULT), outposts and backchannels drop it. */
export function detachProvider(state: AuthentikState, pk: number): void {
  for (const app of state.applications.all()) {
    if (app.provider === pk) app.provider = null;
    app.backchannel_providers = app.backchannel_providers.filter((p) => p !== pk);
  }
  for (const outpost of state.outposts.all()) outpost.providers = outpost.providers.filter((p) => p !== pk);
  for (const provider of state.providers.all()) {
    provider.jwt_federation_providers = provider.jwt_federation_providers.filter((p) => p !== pk);
  }
}
