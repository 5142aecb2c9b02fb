import { afterEach, describe, expect, it } from "vitest";
import {
  errorOf,
  type SimulatorWithClient,
  startWithClient,
} from "../../../../test/helpers/authentik-sim-client.ts";
import { PROXY_MANAGED_SCOPES } from "../proxy-oauth-defaults.ts";

describe("/providers/proxy/", () => {
  let env: SimulatorWithClient;
  afterEach(async () => env?.close());

  function create(name: string, extra: Record<string, unknown> = {}) {
    return env.providers.providersProxyCreate({
      proxyProviderRequest: {
        name,
        authorizationFlow: env.authorizationFlow,
        invalidationFlow: env.invalidationFlow,
        externalHost: `https://${name}.lab`,
        internalHost: `http://${name}:8080`,
        ...extra,
      },
    });
  }

  function managedMappingPks() {
    return env.sim.state.scopeMappings
      .all()
      .filter((m) => m.managed && PROXY_MANAGED_SCOPES.includes(m.managed))
      .map((m) => m.pk);
  }

  it("adds the managed scope mappings on create and on every update", async () => {
    env = await startWithClient();
    const custom = env.sim.state.addScopeMapping({ name: "groups", scope_name: "groups" });
    const created = await create("sonarr", { propertyMappings: [custom.pk] });
    expect(new Set(created.propertyMappings)).toEqual(new Set([custom.pk, ...managedMappingPks()]));
    const patched = await env.providers.providersProxyPartialUpdate({
      id: created.pk,
      patchedProxyProviderRequest: {
        mode: "proxy",
        internalHost: "http://sonarr:8989",
        propertyMappings: [custom.pk],
      },
    });
    expect(patched.propertyMappings).toHaveLength(1 + PROXY_MANAGED_SCOPES.length);
  });

  it("derives redirect URIs and a client id from the external host", async () => {
    env = await startWithClient();
    const created = await create("radarr");
    expect(created.redirectUris).toEqual([
      {
        matchingMode: "strict",
        url: "https://radarr.lab/outpost.goauthentik.io/callback?X-authentik-auth-callback=true",
        redirectUriType: "authorization",
      },
      {
        matchingMode: "strict",
        url: "https://radarr.lab?X-authentik-auth-callback=true",
        redirectUriType: "authorization",
      },
    ]);
    expect(created.clientId).toHaveLength(40);
    expect(created).toMatchObject({ mode: "proxy", outpostSet: [], component: "ak-provider-proxy-form" });
  });

  it("ignores ?name= (no such filter) and returns every provider; name__iexact filters", async () => {
    env = await startWithClient();
    await create("alpha");
    await create("beta");
    const trap = await env.call("GET", "/api/v3/providers/proxy/?name=alpha");
    expect((trap.json as { results: { name: string }[] }).results.map((p) => p.name)).toEqual([
      "alpha",
      "beta",
    ]);
    const right = await env.providers.providersProxyList({ nameIexact: "ALPHA" });
    expect(right.results.map((p) => p.name)).toEqual(["alpha"]);
    const byFlow = await env.call("GET", "/api/v3/providers/proxy/?authorization_flow__slug__iexact=nope");
    expect((byFlow.json as { results: unknown[] }).results).toEqual([]);
    const unassigned = await env.providers.providersProxyList({ applicationIsnull: true });
    expect(unassigned.results).toHaveLength(2);
  });

  it("needs internal_host in proxy mode, judging only the fields a PATCH carries", async () => {
    env = await startWithClient();
    const missing = await errorOf(create("x", { internalHost: undefined }));
    expect(missing).toEqual({
      status: 400,
      body: { internal_host: ["Internal host cannot be empty when forward auth is disabled."] },
    });
    const forward = await create("fwd", { mode: "forward_single", internalHost: undefined });
    // A rename that does not repeat the mode is validated as mode=proxy and fails.
    const rename = await errorOf(
      env.providers.providersProxyPartialUpdate({
        id: forward.pk,
        patchedProxyProviderRequest: { name: "fwd2" },
      }),
    );
    expect(rename.body).toEqual({
      internal_host: ["Internal host cannot be empty when forward auth is disabled."],
    });
    const withMode = await env.providers.providersProxyPartialUpdate({
      id: forward.pk,
      patchedProxyProviderRequest: { name: "fwd2", mode: "forward_single" },
    });
    expect(withMode.name).toBe("fwd2");
  });

  it("checks URLs, basic auth attributes and the certificate", async () => {
    env = await startWithClient();
    const bad = await env.call("POST", "/api/v3/providers/proxy/", {
      body: {
        name: "x",
        authorization_flow: env.authorizationFlow,
        invalidation_flow: env.invalidationFlow,
        external_host: "ftp://x.lab",
        internal_host: "nope",
        basic_auth_enabled: true,
        certificate: "00000000-0000-4000-8000-000000000000",
      },
    });
    expect(bad.json).toEqual({
      external_host: ["Enter a valid URL."],
      internal_host: ["Enter a valid URL."],
      basic_auth_enabled: ["User and password attributes must be set when basic auth is enabled."],
      certificate: ['Invalid pk "00000000-0000-4000-8000-000000000000" - object does not exist.'],
    });
  });

  it("replaces with PUT, deletes, and leaves the outpost without the provider", async () => {
    env = await startWithClient();
    const created = await create("lidarr");
    const embedded = env.sim.state.outposts.all()[0];
    if (embedded) embedded.providers = [created.pk];
    expect((await env.providers.providersProxyRetrieve({ id: created.pk })).outpostSet).toEqual([
      "Outpost authentik Embedded Outpost",
    ]);
    const replaced = await env.providers.providersProxyUpdate({
      id: created.pk,
      proxyProviderRequest: {
        name: "lidarr",
        authorizationFlow: env.authorizationFlow,
        invalidationFlow: env.invalidationFlow,
        externalHost: "https://music.lab",
        mode: "forward_domain",
        cookieDomain: "lab",
      },
    });
    expect(replaced.redirectUris[1]?.url).toBe("https://music.lab?X-authentik-auth-callback=true");
    await env.providers.providersProxyDestroy({ id: created.pk });
    expect(embedded?.providers).toEqual([]);
    expect(await errorOf(env.providers.providersProxyRetrieve({ id: created.pk }))).toEqual({
      status: 404,
      body: { detail: "No ProxyProvider matches the given query." },
    });
  });
});
