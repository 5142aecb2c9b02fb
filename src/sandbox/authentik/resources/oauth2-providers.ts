import { modelRef } from "../audit-events.ts";
import { notFound } from "../errors.ts";
import { boolean, exact, type ListSpec } from "../list-query.ts";
import type { OperationContext, OperationHandler, ValidatedInput } from "../operation.ts";
import { canView, requireSuperuser } from "../operation.ts";
import type { OAuth2ProviderRecord, RedirectUri } from "../records.ts";
import type { AuthentikState } from "../state.ts";
import { listResponse } from "./list-response.ts";
import { byIntegerId } from "./object-lookup.ts";
import { detachProvider, renderProviderBase } from "./provider-render.ts";
import { validateProviderBase } from "./provider-validation.ts";
import { compilesAsPythonRegex } from "./python-regex.ts";
import { checkUnique, checkUuidPk, uuidOrNull, uuids } from "./relation-checks.ts";

/**
 * /providers/oauth2/. The server fills client_id (40 chars) and client_secret (128 chars) when
 * they are absent and returns the secret in plain text on every read; grant_types defaults to
 * [] (no login works until it is set); every redirect URI comes back with redirect_uri_type.
 */
const WRITABLE = [
  "name",
  "authentication_flow",
  "authorization_flow",
  "invalidation_flow",
  "property_mappings",
  "client_type",
  "grant_types",
  "client_id",
  "client_secret",
  "access_code_validity",
  "access_token_validity",
  "refresh_token_validity",
  "refresh_token_threshold",
  "include_claims_in_id_token",
  "signing_key",
  "encryption_key",
  "redirect_uris",
  "logout_uri",
  "logout_method",
  "sub_mode",
  "issuer_mode",
  "jwt_federation_sources",
  "jwt_federation_providers",
] as const;
const UUID_FIELDS = new Set([
  "authentication_flow",
  "authorization_flow",
  "invalidation_flow",
  "signing_key",
  "encryption_key",
]);
const UUID_LIST_FIELDS = new Set(["property_mappings", "jwt_federation_sources"]);

const listSpec: ListSpec<OAuth2ProviderRecord> = {
  filters: {
    name: exact((p) => p.name),
    client_id: exact((p) => p.client_id),
    client_type: exact((p) => p.client_type),
    authorization_flow: exact((p) => p.authorization_flow),
    signing_key: exact((p) => p.signing_key),
    issuer_mode: exact((p) => p.issuer_mode),
    sub_mode: exact((p) => p.sub_mode),
    access_code_validity: exact((p) => p.access_code_validity),
    access_token_validity: exact((p) => p.access_token_validity),
    refresh_token_validity: exact((p) => p.refresh_token_validity),
    include_claims_in_id_token: boolean((p) => p.include_claims_in_id_token),
  },
  searchFields: (p) => [p.name],
  ordering: ["name"],
};

export function oauth2ProviderHandlers(): OperationHandler[] {
  return [
    {
      operationId: "providers_oauth2_list",
      handle: (ctx) =>
        listResponse(oauth2Providers(ctx), ctx.query, listSpec, (p) => renderOAuth2Provider(ctx.state, p)),
    },
    {
      operationId: "providers_oauth2_create",
      handle: (ctx) => {
        requireSuperuser(ctx);
        const input = ctx.input();
        validate(ctx.state, input, undefined);
        const provider = ctx.state.addOAuth2Provider(pick(input.data) as OAuth2ProviderRecord);
        ctx.record("model_created", ref(provider));
        return { status: 201, body: renderOAuth2Provider(ctx.state, provider) };
      },
    },
    {
      operationId: "providers_oauth2_retrieve",
      handle: (ctx) => ({ status: 200, body: renderOAuth2Provider(ctx.state, find(ctx)) }),
    },
    { operationId: "providers_oauth2_update", handle: update },
    { operationId: "providers_oauth2_partial_update", handle: update },
    {
      operationId: "providers_oauth2_destroy",
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

function oauth2Providers(ctx: OperationContext): OAuth2ProviderRecord[] {
  if (!canView(ctx)) return [];
  return ctx.state.providers.all().filter((p): p is OAuth2ProviderRecord => p.kind === "oauth2");
}

function find(ctx: OperationContext): OAuth2ProviderRecord {
  const provider = byIntegerId(ctx.state.providers, ctx.params.id ?? "", "OAuth2Provider", canView(ctx));
  if (provider.kind !== "oauth2") throw notFound("OAuth2Provider");
  return provider;
}

function update(ctx: OperationContext) {
  const provider = find(ctx);
  requireSuperuser(ctx);
  const input = ctx.input();
  validate(ctx.state, input, provider);
  Object.assign(provider, pick(input.data));
  ctx.record("model_updated", ref(provider));
  return { status: 200, body: renderOAuth2Provider(ctx.state, provider) };
}

function validate(
  state: AuthentikState,
  input: ValidatedInput,
  self: OAuth2ProviderRecord | undefined,
): void {
  const { data, errors } = input;
  validateProviderBase(state, data, errors, self);
  checkUnique(
    errors,
    "client_id",
    typeof data.client_id === "string" &&
      state.providers.find((p) => p.client_id === data.client_id && p !== self) !== undefined,
    "OAuth2/OpenID Provider with this Client ID already exists.",
  );
  const keypairExists = (pk: string) => state.keypairs.get(pk) !== undefined;
  checkUuidPk(errors, "signing_key", data.signing_key, keypairExists);
  checkUuidPk(errors, "encryption_key", data.encryption_key, keypairExists);
  if (Array.isArray(data.redirect_uris) && !errors.has("redirect_uris")) {
    for (const entry of data.redirect_uris as RedirectUri[]) {
      if (entry.matching_mode === "regex" && !compilesAsPythonRegex(entry.url)) {
        errors.add("redirect_uris", `Invalid Regex Pattern: ${entry.url}`);
        break;
      }
    }
  }
  errors.throwIfAny();
}

function pick(data: Record<string, unknown>): Partial<OAuth2ProviderRecord> {
  const out: Record<string, unknown> = {};
  for (const key of WRITABLE) {
    if (!(key in data)) continue;
    const value = data[key];
    if (UUID_FIELDS.has(key)) out[key] = uuidOrNull(value);
    else if (UUID_LIST_FIELDS.has(key)) out[key] = uuids(value);
    else if (key === "redirect_uris") out[key] = (value as Partial<RedirectUri>[]).map(normaliseRedirectUri);
    else out[key] = value;
  }
  return out as Partial<OAuth2ProviderRecord>;
}

export function normaliseRedirectUri(entry: Partial<RedirectUri>): RedirectUri {
  return {
    matching_mode: entry.matching_mode ?? "strict",
    url: entry.url ?? "",
    redirect_uri_type: entry.redirect_uri_type ?? "authorization",
  };
}

function ref(provider: OAuth2ProviderRecord) {
  return modelRef("authentik_providers_oauth2", "oauth2provider", provider.pk, provider.name);
}

export function renderOAuth2Provider(
  state: AuthentikState,
  p: OAuth2ProviderRecord,
): Record<string, unknown> {
  return {
    ...renderProviderBase(state, p),
    client_type: p.client_type,
    grant_types: p.grant_types,
    client_id: p.client_id,
    client_secret: p.client_secret,
    access_code_validity: p.access_code_validity,
    access_token_validity: p.access_token_validity,
    refresh_token_validity: p.refresh_token_validity,
    refresh_token_threshold: p.refresh_token_threshold,
    include_claims_in_id_token: p.include_claims_in_id_token,
    signing_key: p.signing_key,
    encryption_key: p.encryption_key,
    redirect_uris: p.redirect_uris,
    logout_uri: p.logout_uri,
    logout_method: p.logout_method,
    sub_mode: p.sub_mode,
    issuer_mode: p.issuer_mode,
    jwt_federation_sources: p.jwt_federation_sources,
    jwt_federation_providers: p.jwt_federation_providers,
  };
}
