import { z } from "zod";
import { AutopilotError } from "../../errors/autopilot-error.ts";
import type { HttpClient } from "../../http/types.ts";
import { versionWithin } from "../version-range.ts";
import { callAuthentik, listAll } from "./api-call.ts";
import {
  AdminApi,
  Configuration,
  CoreApi,
  CryptoApi,
  FlowsApi,
  OutpostsApi,
  PropertymappingsApi,
  ProvidersApi,
} from "./client.ts";
import { AUTHENTIK_API, SUPPORTED_AUTHENTIK } from "./connection.ts";
import type { AuthentikLookups } from "./lookups.ts";

/** Everything the Authentik kinds share during one run. */
export interface AuthentikSession {
  readonly http: HttpClient;
  readonly version: string;
  readonly core: CoreApi;
  readonly providers: ProvidersApi;
  readonly outposts: OutpostsApi;
  readonly lookups: AuthentikLookups;
  /** The embedded outpost's uuid (proxy providers are bound to it). */
  embeddedOutpost(): Promise<string>;
}

export const EMBEDDED_OUTPOST = "goauthentik.io/outposts/embedded";

/** The scope mappings a confidential OIDC client gets (matched by `managed`, never by name). */
export const OIDC_SCOPE_MAPPINGS = [
  "goauthentik.io/providers/oauth2/scope-openid",
  "goauthentik.io/providers/oauth2/scope-email",
  "goauthentik.io/providers/oauth2/scope-profile",
  "goauthentik.io/providers/oauth2/scope-offline_access",
] as const;

const lookupItem = z.object({ pk: z.string(), name: z.string() }).passthrough();
const flowItem = lookupItem.extend({ slug: z.string() });
const scopeItem = lookupItem.extend({ managed: z.string().nullable().optional() });

/**
 * Opens a session: reads the version and refuses a release line this build's client does not
 * speak (API shapes change between minor releases), and loads the lookups every kind needs with
 * one list each — flows, keypairs, scope mappings; groups by name only when asked.
 */
export async function openAuthentikSession(http: HttpClient): Promise<AuthentikSession> {
  const configuration = new Configuration({
    basePath: `${http.baseUrl}${AUTHENTIK_API}`,
    fetchApi: http.fetch,
  });
  const admin = new AdminApi(configuration);
  const core = new CoreApi(configuration);
  const flowsApi = new FlowsApi(configuration);
  const crypto = new CryptoApi(configuration);
  const mappings = new PropertymappingsApi(configuration);
  // The lookup lists only read, so they go out with the version check rather than a round trip
  // after it. The version's answer is still awaited first: an unsupported release or a bad
  // token fails with its own message, never with a lookup's.
  const lookupLists = Promise.all([
    listAll(http, (page, pageSize) => flowsApi.flowsInstancesList({ page, pageSize })),
    listAll(http, (page, pageSize) => crypto.cryptoCertificatekeypairsList({ page, pageSize })),
    listAll(http, (page, pageSize) => mappings.propertymappingsProviderScopeList({ page, pageSize })),
  ]);
  lookupLists.catch(() => undefined); // awaited below, unless the version check fails first
  const { versionCurrent } = z
    .object({ versionCurrent: z.string() })
    .passthrough()
    .parse(await callAuthentik(http, () => admin.adminVersionRetrieve()));
  if (!versionWithin(versionCurrent, SUPPORTED_AUTHENTIK.min, SUPPORTED_AUTHENTIK.max)) {
    throw new AutopilotError(
      "invalid",
      `Authentik ${versionCurrent} is outside the supported range ${SUPPORTED_AUTHENTIK.min}–${SUPPORTED_AUTHENTIK.max}; nothing was changed`,
      { hint: "upgrade Authentik, or use the Autopilot release built for your Authentik version" },
    );
  }
  const [flows, keypairs, scopes] = await lookupLists;
  let groups: Promise<ReadonlyMap<string, string>> | undefined;
  let outpost: Promise<string> | undefined;
  const outposts = new OutpostsApi(configuration);
  return {
    http,
    version: versionCurrent,
    core,
    providers: new ProvidersApi(configuration),
    outposts,
    lookups: {
      flows: new Map(flows.map((item) => flowItem.parse(item)).map((f) => [f.slug, f.pk])),
      keypairs: new Map(keypairs.map((item) => lookupItem.parse(item)).map((k) => [k.name, k.pk])),
      scopeMappings: new Map(
        scopes
          .map((item) => scopeItem.parse(item))
          .filter((s) => s.managed)
          .map((s) => [s.managed as string, s.pk]),
      ),
      groups: () => {
        groups ??= listAll(http, (page, pageSize) =>
          core.coreGroupsList({ page, pageSize, includeUsers: false }),
        ).then((list) => new Map(list.map((group) => [group.name, group.pk])));
        return groups;
      },
    },
    embeddedOutpost: () => {
      outpost ??= callAuthentik(http, () =>
        outposts.outpostsInstancesList({ managedIexact: EMBEDDED_OUTPOST }),
      ).then((page) => {
        const found = page.results[0];
        if (!found) {
          throw new AutopilotError("not-found", "authentik has no embedded outpost", {
            hint: "the embedded outpost is created at start-up; check Applications › Outposts",
          });
        }
        return found.pk;
      });
      return outpost;
    },
  };
}
