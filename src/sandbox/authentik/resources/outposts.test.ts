import { afterEach, describe, expect, it } from "vitest";
import {
  errorOf,
  type SimulatorWithClient,
  startWithClient,
} from "../../../../test/helpers/authentik-sim-client.ts";

describe("/outposts/instances/", () => {
  let env: SimulatorWithClient;
  afterEach(async () => env?.close());

  async function embedded() {
    const list = await env.outposts.outpostsInstancesList({
      managedIexact: "goauthentik.io/outposts/embedded",
    });
    expect(list.results).toHaveLength(1);
    return list.results[0] as NonNullable<(typeof list.results)[0]>;
  }

  function proxy(name: string) {
    return env.sim.state.addProxyProvider({
      name,
      authorization_flow: env.authorizationFlow,
      invalidation_flow: env.invalidationFlow,
      external_host: `https://${name}.lab`,
      mode: "forward_single",
    });
  }

  it("starts with the embedded proxy outpost and no providers", async () => {
    env = await startWithClient();
    const outpost = await embedded();
    expect(outpost).toMatchObject({
      name: "authentik Embedded Outpost",
      type: "proxy",
      providers: [],
      providersObj: [],
      managed: "goauthentik.io/outposts/embedded",
      refreshIntervalS: 300,
      tokenIdentifier: `ak-outpost-${outpost.pk}-api`,
    });
    expect(
      (await env.outposts.outpostsInstancesList({ nameIexact: "AUTHENTIK embedded outpost" })).results,
    ).toHaveLength(1);
    expect((await env.outposts.outpostsInstancesRetrieve({ uuid: outpost.pk })).pk).toBe(outpost.pk);
  });

  it("replaces the provider list on PATCH: read, union, write back", async () => {
    env = await startWithClient();
    const a = proxy("a");
    const b = proxy("b");
    const outpost = await embedded();
    await env.outposts.outpostsInstancesPartialUpdate({
      uuid: outpost.pk,
      patchedOutpostRequest: { providers: [a.pk] },
    });
    const second = await env.outposts.outpostsInstancesPartialUpdate({
      uuid: outpost.pk,
      patchedOutpostRequest: { providers: [b.pk] },
    });
    expect(second.providers).toEqual([b.pk]);
    expect(second.providersObj.map((p) => p.name)).toEqual(["b"]);
    const both = await env.outposts.outpostsInstancesPartialUpdate({
      uuid: outpost.pk,
      patchedOutpostRequest: { providers: [...second.providers, a.pk] },
    });
    expect(both.providers).toEqual([b.pk, a.pk]);
    expect((await env.outposts.outpostsInstancesList({ providersByPk: [a.pk] })).results).toHaveLength(1);
  });

  it("checks provider types only when the request names the outpost type", async () => {
    env = await startWithClient();
    const oauth = env.sim.state.addOAuth2Provider({
      name: "oidc",
      authorization_flow: env.authorizationFlow,
      invalidation_flow: env.invalidationFlow,
    });
    const outpost = await embedded();
    const typed = await errorOf(
      env.outposts.outpostsInstancesPartialUpdate({
        uuid: outpost.pk,
        patchedOutpostRequest: { type: "proxy", providers: [oauth.pk] },
      }),
    );
    expect(typed.body).toEqual({
      providers: ["Outpost type proxy can't be used with OAuth2Provider providers."],
    });
    const bare = await env.outposts.outpostsInstancesPartialUpdate({
      uuid: outpost.pk,
      patchedOutpostRequest: { providers: [oauth.pk] },
    });
    expect(bare.providers).toEqual([oauth.pk]);
    const unknown = await env.call("PATCH", `/api/v3/outposts/instances/${outpost.pk}/`, {
      body: { providers: [999] },
    });
    expect(unknown.json).toEqual({ providers: ['Invalid pk "999" - object does not exist.'] });
  });

  it("keeps the embedded outpost's name and allows only it to have no providers", async () => {
    env = await startWithClient();
    const outpost = await embedded();
    const rename = await errorOf(
      env.outposts.outpostsInstancesPartialUpdate({
        uuid: outpost.pk,
        patchedOutpostRequest: { name: "mine" },
      }),
    );
    expect(rename.body).toEqual({ name: ["Embedded outpost's name cannot be changed"] });
    const empty = await errorOf(
      env.outposts.outpostsInstancesCreate({
        outpostRequest: { name: "second", type: "proxy", providers: [], config: {} },
      }),
    );
    expect(empty.body).toEqual({ providers: ["This list may not be empty."] });
    const missing = await env.call("POST", "/api/v3/outposts/instances/", { body: { name: "x" } });
    expect(missing.json).toEqual({
      type: ["This field is required."],
      providers: ["This field is required."],
      config: ["This field is required."],
    });
  });

  it("creates, replaces and deletes another outpost with its service account token", async () => {
    env = await startWithClient();
    const provider = proxy("c");
    const created = await env.outposts.outpostsInstancesCreate({
      outpostRequest: {
        name: "edge",
        type: "proxy",
        providers: [provider.pk],
        config: { refresh_interval: "hours=1" },
      },
    });
    expect(created.refreshIntervalS).toBe(3600);
    expect(env.sim.state.tokens.find((t) => t.identifier === created.tokenIdentifier)).toBeDefined();
    const replaced = await env.outposts.outpostsInstancesUpdate({
      uuid: created.pk,
      outpostRequest: {
        name: "edge",
        type: "proxy",
        providers: [provider.pk],
        config: { refresh_interval: "bad" },
      },
    });
    expect(replaced.refreshIntervalS).toBe(300);
    expect(
      (
        await errorOf(
          env.outposts.outpostsInstancesCreate({
            outpostRequest: { name: "edge", type: "proxy", providers: [provider.pk], config: {} },
          }),
        )
      ).body,
    ).toEqual({ name: ["Outpost with this name already exists."] });
    await env.outposts.outpostsInstancesDestroy({ uuid: created.pk });
    expect(env.sim.state.tokens.find((t) => t.identifier === created.tokenIdentifier)).toBeUndefined();
    expect((await env.call("GET", "/api/v3/outposts/instances/not-a-uuid/")).json).toEqual({
      detail: "Not found.",
    });
    expect((await env.call("GET", `/api/v3/outposts/instances/${created.pk}/`)).json).toEqual({
      detail: "No Outpost matches the given query.",
    });
  });
});
