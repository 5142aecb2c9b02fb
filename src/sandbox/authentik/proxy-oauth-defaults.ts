import type { Collection } from "./collection.ts";
import type { ProxyProviderRecord, RedirectUri, ScopeMappingRecord } from "./records.ts";

/** The scope mappings authentik adds to every proxy provider on every create and update. */
export const PROXY_MANAGED_SCOPES = [
  "goauthentik.io/providers/oauth2/scope-openid",
  "goauthentik.io/providers/oauth2/scope-profile",
  "goauthentik.io/providers/oauth2/scope-email",
  "goauthentik.io/providers/oauth2/scope-entitlements",
  "goauthentik.io/providers/proxy/scope-proxy",
];

const CALLBACK_SIGNATURE = "X-authentik-auth-callback";

/**
 * ProxyProvider.set_oauth_defaults(): the server owns the OAuth side of a proxy provider. It
 * *adds* the managed scope mappings (so a client that sends only its own mappings sees extra
 * ones come back: the classic perpetual diff) and derives the redirect URIs from external_host.
 */
export function applyProxyOAuthDefaults(
  provider: ProxyProviderRecord,
  scopeMappings: Collection<string, ScopeMappingRecord>,
): void {
  const managed = scopeMappings.all().filter((m) => m.managed && PROXY_MANAGED_SCOPES.includes(m.managed));
  const mappings = new Set(provider.property_mappings);
  for (const mapping of managed) mappings.add(mapping.pk);
  provider.property_mappings = [...mappings];
  provider.redirect_uris = callbackUrls(provider.external_host);
}

function callbackUrls(externalHost: string): RedirectUri[] {
  return [
    {
      matching_mode: "strict",
      url: `${urljoin(externalHost, "outpost.goauthentik.io/callback")}?${CALLBACK_SIGNATURE}=true`,
      redirect_uri_type: "authorization",
    },
    {
      matching_mode: "strict",
      url: `${externalHost}?${CALLBACK_SIGNATURE}=true`,
      redirect_uri_type: "authorization",
    },
  ];
}

/** Python's urljoin for a relative path: replaces the last path segment of the base. */
function urljoin(base: string, relative: string): string {
  try {
    return new URL(relative, base).toString();
  } catch {
    return `${base}/${relative}`;
  }
}
