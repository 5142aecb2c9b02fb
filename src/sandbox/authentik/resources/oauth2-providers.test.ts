import { afterEach, describe, expect, it } from "vitest";
import {
  errorOf,
  type SimulatorWithClient,
  startWithClient,
} from "../../../../test/helpers/authentik-sim-client.ts";

describe("/providers/oauth2/", () => {
  let env: SimulatorWithClient;
  afterEach(async () => env?.close());

  function create(name: string, extra: Record<string, unknown> = {}) {
    return env.providers.providersOauth2Create({
      oAuth2ProviderRequest: {
        name,
        authorizationFlow: env.authorizationFlow,
        invalidationFlow: env.invalidationFlow,
        redirectUris: [{ matchingMode: "strict", url: `https://${name}.lab/cb` }],
        ...extra,
      },
    });
  }

  it("generates a 40-char client id and a 128-char secret, returned in plain text on every read", async () => {
    env = await startWithClient();
    const created = await create("grafana");
    expect(created.clientId).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(created.clientSecret).toMatch(/^[A-Za-z0-9]{128}$/);
    const read = await env.providers.providersOauth2Retrieve({ id: created.pk });
    expect(read.clientSecret).toBe(created.clientSecret);
    const listed = await env.providers.providersOauth2List({ clientId: created.clientId });
    expect(listed.results.map((p) => p.clientSecret)).toEqual([created.clientSecret]);
  });

  it("keeps a client id and secret it is given", async () => {
    env = await startWithClient();
    const created = await create("given", { clientId: "my-client", clientSecret: "s3cret" });
    expect(created).toMatchObject({ clientId: "my-client", clientSecret: "s3cret" });
    expect((await errorOf(create("other", { clientId: "my-client" }))).body).toEqual({
      client_id: ["OAuth2/OpenID Provider with this Client ID already exists."],
    });
  });

  it("defaults grant_types to [] and fills redirect_uri_type, like the real server", async () => {
    env = await startWithClient();
    const created = await create("app");
    expect(created.grantTypes).toEqual([]);
    expect(created.redirectUris).toEqual([
      { matchingMode: "strict", url: "https://app.lab/cb", redirectUriType: "authorization" },
    ]);
    expect(created).toMatchObject({
      clientType: "confidential",
      issuerMode: "per_provider",
      subMode: "hashed_user_id",
      includeClaimsInIdToken: true,
      accessTokenValidity: "hours=1",
      component: "ak-provider-oauth2-form",
      verboseName: "OAuth2/OpenID Provider",
      metaModelName: "authentik_providers_oauth2.oauth2provider",
      assignedApplicationSlug: null,
    });
  });

  it("patches only what it is sent and keeps the rest", async () => {
    env = await startWithClient();
    const created = await create("patchy");
    const signingKey = env.sim.state.keypairs.find((k) => k.name === "authentik Self-signed Certificate")?.pk;
    const patched = await env.providers.providersOauth2PartialUpdate({
      id: created.pk,
      patchedOAuth2ProviderRequest: { grantTypes: ["authorization_code", "refresh_token"], signingKey },
    });
    expect(patched).toMatchObject({
      grantTypes: ["authorization_code", "refresh_token"],
      signingKey,
      clientSecret: created.clientSecret,
      name: "patchy",
    });
    const replaced = await env.providers.providersOauth2Update({
      id: created.pk,
      oAuth2ProviderRequest: {
        name: "patchy",
        authorizationFlow: env.authorizationFlow,
        invalidationFlow: env.invalidationFlow,
        redirectUris: [],
      },
    });
    expect(replaced.redirectUris).toEqual([]);
    await env.providers.providersOauth2Destroy({ id: created.pk });
    expect(await errorOf(env.providers.providersOauth2Retrieve({ id: created.pk }))).toEqual({
      status: 404,
      body: { detail: "No OAuth2Provider matches the given query." },
    });
  });

  it("refuses the old string form of redirect_uris and reports nested item errors", async () => {
    env = await startWithClient();
    const body = {
      name: "x",
      authorization_flow: env.authorizationFlow,
      invalidation_flow: env.invalidationFlow,
    };
    const legacy = await env.call("POST", "/api/v3/providers/oauth2/", {
      body: { ...body, redirect_uris: "https://x.lab/cb" },
    });
    expect(legacy.status).toBe(400);
    expect(legacy.json).toEqual({
      redirect_uris: { non_field_errors: ['Expected a list of items but got type "str".'] },
    });
    const nested = await env.call("POST", "/api/v3/providers/oauth2/", {
      body: {
        ...body,
        redirect_uris: [{ matching_mode: "strict" }, { matching_mode: "strict", url: "https://ok" }],
      },
    });
    expect(nested.json).toEqual({ redirect_uris: [{ url: ["This field is required."] }, {}] });
  });

  it("requires regex redirect URIs to compile", async () => {
    env = await startWithClient();
    const bad = await errorOf(
      create("re", { redirectUris: [{ matchingMode: "regex", url: "https://(.*\\.lab/cb" }] }),
    );
    expect(bad).toEqual({
      status: 400,
      body: { redirect_uris: ["Invalid Regex Pattern: https://(.*\\.lab/cb"] },
    });
    const good = await create("re2", {
      redirectUris: [{ matchingMode: "regex", url: "https://(?P<app>.*)\\.lab/cb" }],
    });
    expect(good.redirectUris[0]?.matchingMode).toBe("regex");
  });

  it("requires the invalidation flow and refuses null or unknown flows", async () => {
    env = await startWithClient();
    const missing = await env.call("POST", "/api/v3/providers/oauth2/", {
      body: { name: "x", authorization_flow: env.authorizationFlow, redirect_uris: [] },
    });
    expect(missing.json).toEqual({ invalidation_flow: ["This field is required."] });
    const nulls = await env.call("POST", "/api/v3/providers/oauth2/", {
      body: {
        name: "x",
        authorization_flow: "00000000-0000-4000-8000-000000000000",
        invalidation_flow: null,
        signing_key: "00000000-0000-4000-8000-000000000001",
        property_mappings: ["00000000-0000-4000-8000-000000000002"],
        redirect_uris: [],
      },
    });
    expect(nulls.json).toEqual({
      authorization_flow: ['Invalid pk "00000000-0000-4000-8000-000000000000" - object does not exist.'],
      invalidation_flow: ["This field may not be null."],
      signing_key: ['Invalid pk "00000000-0000-4000-8000-000000000001" - object does not exist.'],
      property_mappings: ['Invalid pk "00000000-0000-4000-8000-000000000002" - object does not exist.'],
    });
  });

  it("shares provider names with every other provider type", async () => {
    env = await startWithClient();
    await env.providers.providersProxyCreate({
      proxyProviderRequest: {
        name: "grafana",
        authorizationFlow: env.authorizationFlow,
        invalidationFlow: env.invalidationFlow,
        externalHost: "https://grafana.lab",
        mode: "forward_single",
      },
    });
    expect(await errorOf(create("grafana"))).toEqual({
      status: 400,
      body: { name: ["provider with this name already exists."] },
    });
  });

  it("answers a malformed id with a bare Not found and a proxy id with the OAuth2 class name", async () => {
    env = await startWithClient();
    const proxy = env.sim.state.addProxyProvider({
      name: "p",
      authorization_flow: env.authorizationFlow,
      invalidation_flow: env.invalidationFlow,
      external_host: "https://p.lab",
    });
    expect((await env.call("GET", "/api/v3/providers/oauth2/abc/")).json).toEqual({ detail: "Not found." });
    expect((await env.call("GET", `/api/v3/providers/oauth2/${proxy.pk}/`)).json).toEqual({
      detail: "No OAuth2Provider matches the given query.",
    });
  });

  it("lists every provider type in /providers/all/", async () => {
    env = await startWithClient();
    await create("one");
    env.sim.state.addProxyProvider({
      name: "two",
      authorization_flow: env.authorizationFlow,
      invalidation_flow: env.invalidationFlow,
      external_host: "https://two.lab",
    });
    const all = await env.providers.providersAllList({});
    expect(all.results.map((p) => [p.name, p.component])).toEqual([
      ["one", "ak-provider-oauth2-form"],
      ["two", "ak-provider-proxy-form"],
    ]);
    expect((await env.providers.providersAllList({ applicationIsnull: false })).results).toEqual([]);
    expect((await env.providers.providersAllList({ search: "tw" })).results.map((p) => p.name)).toEqual([
      "two",
    ]);
  });
});
