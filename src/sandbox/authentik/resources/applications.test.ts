import { afterEach, describe, expect, it } from "vitest";
import {
  errorOf,
  type SimulatorWithClient,
  startWithClient,
} from "../../../../test/helpers/authentik-sim-client.ts";

describe("/core/applications/", () => {
  let env: SimulatorWithClient;
  afterEach(async () => env?.close());

  async function oauth2Provider(name: string) {
    return env.providers.providersOauth2Create({
      oAuth2ProviderRequest: {
        name,
        authorizationFlow: env.authorizationFlow,
        invalidationFlow: env.invalidationFlow,
        redirectUris: [{ matchingMode: "strict", url: `https://${name}.lab/callback` }],
      },
    });
  }

  it("creates, reads, patches, replaces and deletes an application by slug", async () => {
    env = await startWithClient();
    const provider = await oauth2Provider("grafana");
    const created = await env.core.coreApplicationsCreate({
      applicationRequest: {
        name: "Grafana",
        slug: "grafana",
        provider: provider.pk,
        metaPublisher: "Grafana Labs",
      },
    });
    expect(created).toMatchObject({
      name: "Grafana",
      slug: "grafana",
      provider: provider.pk,
      launchUrl: "https://grafana.lab",
      backchannelProvidersObj: [],
      policyEngineMode: "any",
      metaHide: false,
    });
    expect(created.providerObj?.assignedApplicationSlug).toBe("grafana");
    expect(created.pk).toBe(created.pbmUuid);

    const read = await env.core.coreApplicationsRetrieve({ slug: "grafana" });
    expect(read.pk).toBe(created.pk);

    const patched = await env.core.coreApplicationsPartialUpdate({
      slug: "grafana",
      patchedApplicationRequest: { metaLaunchUrl: "https://dash.lab/" },
    });
    expect(patched).toMatchObject({ launchUrl: "https://dash.lab/", metaPublisher: "Grafana Labs" });

    const replaced = await env.core.coreApplicationsUpdate({
      slug: "grafana",
      applicationRequest: { name: "Dashboards", slug: "dashboards" },
    });
    // A PUT leaves fields it does not mention alone (only serializer defaults are applied).
    expect(replaced).toMatchObject({
      slug: "dashboards",
      provider: provider.pk,
      metaPublisher: "Grafana Labs",
    });

    await env.core.coreApplicationsDestroy({ slug: "dashboards" });
    expect(await errorOf(env.core.coreApplicationsRetrieve({ slug: "dashboards" }))).toEqual({
      status: 404,
      body: { detail: "No Application matches the given query." },
    });
    expect(env.sim.state.applications.count()).toBe(0);
    const actions = (await env.events.eventsEventsList({ action: "model_updated" })).results;
    expect(actions.map((e) => (e.context as { model: { model_name: string } }).model.model_name)).toEqual([
      "application",
      "application",
    ]);
  });

  it("pages 150 applications 100 at a time however large page_size is", async () => {
    env = await startWithClient();
    for (let i = 0; i < 150; i++)
      env.sim.state.addApplication({ name: `App ${String(i).padStart(3, "0")}`, slug: `app-${i}` });
    const first = await env.core.coreApplicationsList({ pageSize: 500 });
    expect(first.results).toHaveLength(100);
    expect(first.pagination).toMatchObject({ next: 2, previous: 0, count: 150, totalPages: 2, current: 1 });
    const last = await env.core.coreApplicationsList({ pageSize: 500, page: first.pagination.next });
    expect(last.results).toHaveLength(50);
    expect(last.pagination).toMatchObject({ next: 0, previous: 1, startIndex: 101, endIndex: 150 });
    expect(await errorOf(env.core.coreApplicationsList({ pageSize: 500, page: 3 }))).toEqual({
      status: 404,
      body: { detail: "Invalid page." },
    });
    expect((await env.core.coreApplicationsList({})).results).toHaveLength(20);
  });

  it("ignores an unknown filter and returns everything; the real slug filter narrows", async () => {
    env = await startWithClient();
    env.sim.state.addApplication({ name: "A", slug: "a" });
    env.sim.state.addApplication({ name: "B", slug: "b" });
    const unknown = await env.call("GET", "/api/v3/core/applications/?slug_iexact=a");
    expect((unknown.json as { results: unknown[] }).results).toHaveLength(2);
    expect((await env.core.coreApplicationsList({ slug: "a" })).results.map((a) => a.slug)).toEqual(["a"]);
    expect((await env.core.coreApplicationsList({ search: "B" })).results.map((a) => a.slug)).toEqual(["b"]);
    const ordered = await env.call("GET", "/api/v3/core/applications/?ordering=-name");
    expect((ordered.json as { results: { slug: string }[] }).results.map((a) => a.slug)).toEqual(["b", "a"]);
  });

  it("hides meta_hide apps from the plain list but still counts them; the superuser full list shows all", async () => {
    env = await startWithClient();
    env.sim.state.addApplication({ name: "Visible", slug: "visible" });
    env.sim.state.addApplication({ name: "Hidden", slug: "hidden", meta_hide: true });
    const plain = await env.core.coreApplicationsList({});
    expect(plain.results.map((a) => a.slug)).toEqual(["visible"]);
    expect(plain.pagination.count).toBe(2);
    const full = await env.core.coreApplicationsList({ superuserFullList: true });
    expect(full.results.map((a) => a.slug)).toEqual(["hidden", "visible"]);
  });

  it("refuses a taken slug, a reserved slug and a malformed one with DRF's messages", async () => {
    env = await startWithClient();
    env.sim.state.addApplication({ name: "Grafana", slug: "grafana" });
    expect(
      await errorOf(env.core.coreApplicationsCreate({ applicationRequest: { name: "x", slug: "grafana" } })),
    ).toEqual({
      status: 400,
      body: { slug: ["Application with this slug already exists."] },
    });
    expect(
      (await errorOf(env.core.coreApplicationsCreate({ applicationRequest: { name: "x", slug: "token" } })))
        .body,
    ).toEqual({
      slug: ["The slug 'token' is reserved and cannot be used for applications."],
    });
    const missing = await env.call("POST", "/api/v3/core/applications/", { body: { slug: "new app" } });
    expect(missing.json).toEqual({
      name: ["This field is required."],
      slug: ['Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.'],
    });
    const nulls = await env.call("POST", "/api/v3/core/applications/", { body: { name: null, slug: "" } });
    expect(nulls.json).toEqual({
      name: ["This field may not be null."],
      slug: ["This field may not be blank."],
    });
  });

  it("lets a provider back only one application and refuses unknown providers", async () => {
    env = await startWithClient();
    const provider = await oauth2Provider("wiki");
    await env.core.coreApplicationsCreate({
      applicationRequest: { name: "Wiki", slug: "wiki", provider: provider.pk },
    });
    expect(
      await errorOf(
        env.core.coreApplicationsCreate({
          applicationRequest: { name: "Wiki 2", slug: "wiki2", provider: provider.pk },
        }),
      ),
    ).toEqual({ status: 400, body: { provider: ["Application with this provider already exists."] } });
    // Re-saving the same app with its own provider is fine.
    await env.core.coreApplicationsPartialUpdate({
      slug: "wiki",
      patchedApplicationRequest: { provider: provider.pk },
    });
    expect(
      (
        await errorOf(
          env.core.coreApplicationsCreate({ applicationRequest: { name: "x", slug: "x", provider: 999 } }),
        )
      ).body,
    ).toEqual({ provider: ['Invalid pk "999" - object does not exist.'] });
    const backchannel = await env.call("POST", "/api/v3/core/applications/", {
      body: { name: "y", slug: "y", backchannel_providers: [provider.pk, 998] },
    });
    expect(backchannel.json).toEqual({
      backchannel_providers: ['Invalid pk "998" - object does not exist.'],
    });
  });

  it("releases the provider when it is deleted", async () => {
    env = await startWithClient();
    const provider = await oauth2Provider("media");
    await env.core.coreApplicationsCreate({
      applicationRequest: {
        name: "Media",
        slug: "media",
        provider: provider.pk,
        backchannelProviders: [provider.pk],
      },
    });
    await env.providers.providersOauth2Destroy({ id: provider.pk });
    const app = await env.core.coreApplicationsRetrieve({ slug: "media" });
    expect(app.provider ?? null).toBeNull();
    expect(app).toMatchObject({ providerObj: null, backchannelProviders: [], launchUrl: null });
  });

  it("shows non-superusers the launchable list but nothing else", async () => {
    env = await startWithClient();
    env.sim.state.addApplication({ name: "A", slug: "a", meta_icon: "https://icons/a.png" });
    const user = env.sim.state.addUser({ username: "plain" });
    const token = env.sim.state.addToken({ identifier: "plain", user: user.pk });
    const list = await env.call("GET", "/api/v3/core/applications/", { token: token.key });
    expect((list.json as { results: { meta_icon_url: string }[] }).results[0]?.meta_icon_url).toBe(
      "https://icons/a.png",
    );
    expect((await env.call("GET", "/api/v3/core/applications/a/", { token: token.key })).status).toBe(404);
    const create = await env.call("POST", "/api/v3/core/applications/", {
      token: token.key,
      body: { name: "b", slug: "b" },
    });
    expect(create.status).toBe(403);
    expect(create.json).toEqual({ detail: "You do not have permission to perform this action." });
  });
});
