import { z } from "zod";
import { diffFields } from "../../../engine/field-diff.ts";
import type { ResourceKind } from "../../../engine/resource-kind.ts";
import { callAuthentik, listAll } from "../api-call.ts";
import { resolveLookups } from "../lookups.ts";
import type { AuthentikSession } from "../session.ts";
import { observed } from "./kind-helpers.ts";

export interface ProxyProviderSpec extends Record<string, unknown> {
  name: string;
  authorizationFlow: string;
  invalidationFlow: string;
  mode: "proxy" | "forward_single" | "forward_domain";
  externalHost: string;
  internalHost?: string;
  cookieDomain?: string;
}

const proxySchema = z
  .object({ pk: z.number(), name: z.string(), externalHost: z.string(), mode: z.string().optional() })
  .passthrough();
export type ObservedProxyProvider = z.infer<typeof proxySchema>;

/**
 * Proxy (forward-auth) providers, keyed by name. `propertyMappings` is deliberately not managed:
 * the server adds its own managed scope mappings on every write, and comparing them would
 * drift forever. Updates send every owned field: a PATCH without `mode` is validated as
 * `mode: proxy` and refused for forward-auth providers.
 */
export const proxyProviderKind: ResourceKind<ProxyProviderSpec, ObservedProxyProvider, AuthentikSession> = {
  kind: "proxy-provider",
  keyOf: (provider) => provider.name,
  idOf: (provider) => String(provider.pk),
  prepare: (session, spec) => resolveLookups(spec, session.lookups),
  async list(session) {
    const all = await listAll(session.http, (page, pageSize) =>
      session.providers.providersProxyList({ page, pageSize }),
    );
    return all.map((provider) => observed(proxySchema, "proxy provider", provider));
  },
  diff: (spec, provider) => diffFields(spec, provider),
  async create(session, spec) {
    const created = await callAuthentik(session.http, () =>
      session.providers.providersProxyCreate({ proxyProviderRequest: spec as never }),
    );
    return observed(proxySchema, "proxy provider", created);
  },
  async update(session, spec, provider) {
    const updated = await callAuthentik(session.http, () =>
      session.providers.providersProxyPartialUpdate({
        id: provider.pk,
        patchedProxyProviderRequest: spec as never,
      }),
    );
    return observed(proxySchema, "proxy provider", updated);
  },
  async delete(session, provider) {
    await callAuthentik(session.http, () => session.providers.providersProxyDestroy({ id: provider.pk }));
  },
  output: (provider, field) => provider[field],
};
