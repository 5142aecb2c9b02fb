import { z } from "zod";
import { diffFields } from "../../../engine/field-diff.ts";
import type { ResourceKind } from "../../../engine/resource-kind.ts";
import { callAuthentik, listAll } from "../api-call.ts";
import { resolveLookups } from "../lookups.ts";
import type { AuthentikSession } from "../session.ts";
import { observed, patchOf } from "./kind-helpers.ts";

export interface RedirectUri {
  matchingMode: "strict" | "regex";
  url: string;
  /** Always sent: the server returns it, so leaving it out would be a perpetual diff. */
  redirectUriType: "authorization" | "logout";
}

export interface OAuth2ProviderSpec extends Record<string, unknown> {
  name: string;
  authorizationFlow: string;
  invalidationFlow: string;
  clientType: "confidential" | "public";
  clientId: string;
  clientSecret: string;
  /** Explicit: created through the API the server defaults to [] and every login fails. */
  grantTypes: string[];
  redirectUris: RedirectUri[];
  /** RS256 signing with this keypair; without one tokens are HS256 with the client secret. */
  signingKey: string;
  propertyMappings: string[];
  includeClaimsInIdToken: boolean;
  subMode?: string;
}

const oauth2Schema = z
  .object({
    pk: z.number(),
    name: z.string(),
    clientId: z.string().optional(),
    redirectUris: z.array(z.object({ matchingMode: z.string(), url: z.string() }).passthrough()),
    grantTypes: z.array(z.string()).optional(),
    propertyMappings: z.array(z.string()).optional(),
  })
  .passthrough();
export type ObservedOAuth2Provider = z.infer<typeof oauth2Schema>;

/**
 * OAuth2/OIDC providers, keyed by name (unique across every provider type). Only the fields the
 * config owns are compared, and a change is a PATCH of just those fields — never the PUT of the
 * whole provider on every run that once logged users out mid-login for Terraform users.
 */
export const oauth2ProviderKind: ResourceKind<OAuth2ProviderSpec, ObservedOAuth2Provider, AuthentikSession> =
  {
    kind: "oauth2-provider",
    sensitiveFields: ["clientSecret"],
    keyOf: (provider) => provider.name,
    idOf: (provider) => String(provider.pk),
    prepare: (session, spec) => resolveLookups(spec, session.lookups),
    async list(session) {
      const all = await listAll(session.http, (page, pageSize) =>
        session.providers.providersOauth2List({ page, pageSize }),
      );
      return all.map((provider) => observed(oauth2Schema, "OAuth2 provider", provider));
    },
    diff: (spec, provider) =>
      diffFields(spec, provider, {
        unordered: ["grantTypes", "redirectUris", "propertyMappings"],
        sensitive: ["clientSecret"],
      }),
    async create(session, spec) {
      const created = await callAuthentik(session.http, () =>
        session.providers.providersOauth2Create({ oAuth2ProviderRequest: spec as never }),
      );
      return observed(oauth2Schema, "OAuth2 provider", created);
    },
    async update(session, spec, provider, changes) {
      const updated = await callAuthentik(session.http, () =>
        session.providers.providersOauth2PartialUpdate({
          id: provider.pk,
          patchedOAuth2ProviderRequest: patchOf(spec, changes) as never,
        }),
      );
      return observed(oauth2Schema, "OAuth2 provider", updated);
    },
    async delete(session, provider) {
      await callAuthentik(session.http, () => session.providers.providersOauth2Destroy({ id: provider.pk }));
    },
    output: (provider, field) => provider[field],
  };
