import { afterEach, describe, expect, it } from "vitest";
import { type SimulatorWithClient, startWithClient } from "../../../../test/helpers/authentik-sim-client.ts";

// Every documented filter narrows its list, checked on the wire: a filter that silently did
// nothing would look exactly like the real server's unknown-parameter trap.
describe("list filters of every simulated endpoint", () => {
  let env: SimulatorWithClient;
  afterEach(async () => env?.close());

  async function count(path: string): Promise<number> {
    const answer = await env.call("GET", path);
    expect(answer.status, path).toBe(200);
    return (answer.json as { pagination: { count: number } }).pagination.count;
  }

  async function seed() {
    env = await startWithClient();
    const { state } = env.sim;
    const flow = env.authorizationFlow;
    const invalidation = env.invalidationFlow;
    const oauth = state.addOAuth2Provider({
      name: "oidc",
      authorization_flow: flow,
      invalidation_flow: invalidation,
    });
    state.addOAuth2Provider({
      name: "other",
      authorization_flow: flow,
      invalidation_flow: invalidation,
      client_type: "public",
      include_claims_in_id_token: false,
    });
    state.addProxyProvider({
      name: "proxy",
      authorization_flow: flow,
      invalidation_flow: invalidation,
      external_host: "https://p.lab",
      internal_host: "http://p:1",
    });
    state.addApplication({
      name: "App",
      slug: "app",
      provider: oauth.pk,
      group: "media",
      meta_publisher: "me",
    });
    const group = state.addGroup({ name: "family" });
    state.addUser({
      username: "alice",
      email: "a@lab",
      name: "Alice",
      groups: [group.pk],
      path: "people/family",
    });
    state.addUser({ username: "old", is_active: false, type: "external" });
    await env.core.coreGroupsCreate({ groupRequest: { name: "events-trigger" } });
    return { oauth, group };
  }

  it("narrows OAuth2 and proxy provider lists", async () => {
    const { oauth } = await seed();
    expect(await count("/api/v3/providers/oauth2/")).toBe(2);
    expect(await count("/api/v3/providers/oauth2/?name=oidc")).toBe(1);
    expect(await count(`/api/v3/providers/oauth2/?client_id=${oauth.client_id}`)).toBe(1);
    expect(await count("/api/v3/providers/oauth2/?client_type=public")).toBe(1);
    expect(await count("/api/v3/providers/oauth2/?include_claims_in_id_token=false")).toBe(1);
    expect(await count(`/api/v3/providers/oauth2/?authorization_flow=${env.authorizationFlow}`)).toBe(2);
    expect(await count("/api/v3/providers/oauth2/?issuer_mode=global")).toBe(0);
    expect(await count("/api/v3/providers/oauth2/?sub_mode=hashed_user_id&search=oth")).toBe(1);
    expect(await count("/api/v3/providers/oauth2/?signing_key=x&access_code_validity=minutes=1")).toBe(0);
    expect(
      await count("/api/v3/providers/oauth2/?access_token_validity=hours=1&refresh_token_validity=days=30"),
    ).toBe(2);
    expect(
      await count("/api/v3/providers/proxy/?mode__iexact=PROXY&external_host__iexact=https://p.lab"),
    ).toBe(1);
    expect(
      await count("/api/v3/providers/proxy/?internal_host__iexact=http://p:1&cookie_domain__iexact="),
    ).toBe(1);
    expect(await count("/api/v3/providers/proxy/?skip_path_regex__iexact=x")).toBe(0);
    expect(await count("/api/v3/providers/proxy/?basic_auth_enabled__iexact=false")).toBe(1);
    expect(await count("/api/v3/providers/proxy/?internal_host_ssl_validation__iexact=true")).toBe(1);
    expect(await count("/api/v3/providers/proxy/?certificate__kp_uuid__iexact=x")).toBe(0);
    expect(
      await count(
        "/api/v3/providers/proxy/?authorization_flow__slug__iexact=default-provider-authorization-implicit-consent",
      ),
    ).toBe(1);
    expect(await count("/api/v3/providers/all/?application__isnull=true")).toBe(2);
    expect(await count("/api/v3/providers/all/?backchannel=true")).toBe(0);
  });

  it("narrows application, outpost and group lists", async () => {
    await seed();
    expect(await count("/api/v3/core/applications/?group=media&meta_publisher=me")).toBe(1);
    expect(await count("/api/v3/core/applications/?name=App&meta_description=&meta_launch_url=x")).toBe(0);
    expect(
      await count("/api/v3/outposts/instances/?name__icontains=embedded&managed__icontains=outposts"),
    ).toBe(1);
    expect(await count("/api/v3/outposts/instances/?providers__isnull=true")).toBe(1);
    expect(await count("/api/v3/outposts/instances/?search=authentik")).toBe(1);
    expect(await count("/api/v3/core/groups/?search=fam")).toBe(1);
    expect(await count("/api/v3/core/groups/?is_superuser=false")).toBe(2);
  });

  it("narrows user lists", async () => {
    const { group } = await seed();
    expect(await count("/api/v3/core/users/?email=a@lab&name=Alice")).toBe(1);
    expect(await count("/api/v3/core/users/?is_active=false")).toBe(1);
    expect(await count("/api/v3/core/users/?type=external&type=internal")).toBe(3);
    expect(await count("/api/v3/core/users/?path_startswith=people/&path=people/family")).toBe(1);
    expect(await count("/api/v3/core/users/?groups_by_name=family")).toBe(1);
    expect(await count(`/api/v3/core/users/?groups_by_pk=${group.pk}`)).toBe(1);
    const alice = env.sim.state.users.find((u) => u.username === "alice");
    expect(await count(`/api/v3/core/users/?uuid=${alice?.uuid}&search=ALI`)).toBe(1);
    expect((await env.call("GET", "/api/v3/core/users/?type=robot")).status).toBe(400);
  });

  it("narrows token, flow, keypair, mapping and event lists", async () => {
    await seed();
    expect(await count("/api/v3/core/tokens/?intent=api&expiring=false")).toBe(2);
    expect(await count("/api/v3/core/tokens/?description=&managed=x&search=bootstrap")).toBe(0);
    expect(await count("/api/v3/core/tokens/?search=bootstrap")).toBe(1);
    expect(await count("/api/v3/flows/instances/?name=Logout&search=invalid")).toBe(1);
    expect(await count("/api/v3/flows/instances/?denied_action=message_continue")).toBe(6);
    const flow = env.sim.state.flows.all()[0];
    expect(await count(`/api/v3/flows/instances/?flow_uuid=${flow?.pk}`)).toBe(1);
    expect(await count("/api/v3/crypto/certificatekeypairs/?key_type=rsa&search=JWT")).toBe(1);
    expect(await count("/api/v3/propertymappings/provider/scope/?managed__isnull=true")).toBe(0);
    expect(await count("/api/v3/propertymappings/provider/scope/?scope_name=email&search=OpenID")).toBe(1);
    expect(await count("/api/v3/propertymappings/provider/scope/?name=x")).toBe(0);
    expect(await count("/api/v3/events/events/?actions=model_created&username=akadmin")).toBe(1);
    expect(await count("/api/v3/events/events/?client_ip=127.0.0.1&context_model_app=authentik_core")).toBe(
      1,
    );
    expect(await count("/api/v3/events/events/?context_model_name=group&search=events-trigger")).toBe(1);
  });

  it("shows non-superusers empty lists rather than errors", async () => {
    await seed();
    const user = env.sim.state.addUser({ username: "nobody" });
    const token = env.sim.state.addToken({ identifier: "nobody", user: user.pk });
    for (const path of [
      "/api/v3/providers/oauth2/",
      "/api/v3/providers/proxy/",
      "/api/v3/providers/all/",
      "/api/v3/outposts/instances/",
      "/api/v3/core/groups/",
      "/api/v3/core/users/",
      "/api/v3/flows/instances/",
      "/api/v3/crypto/certificatekeypairs/",
      "/api/v3/propertymappings/provider/scope/",
      "/api/v3/events/events/",
    ]) {
      const answer = await env.call("GET", path, { token: token.key });
      expect((answer.json as { results: unknown[] }).results, path).toEqual([]);
    }
  });
});
