import { afterEach, describe, expect, it } from "vitest";
import {
  errorOf,
  type SimulatorWithClient,
  startWithClient,
} from "../../../../test/helpers/authentik-sim-client.ts";

describe("flows, keypairs, scope mappings and events", () => {
  let env: SimulatorWithClient;
  afterEach(async () => env?.close());

  it("holds the default flows with their designations", async () => {
    env = await startWithClient();
    const expected: [string, string][] = [
      ["default-authentication-flow", "authentication"],
      ["default-invalidation-flow", "invalidation"],
      ["default-provider-authorization-explicit-consent", "authorization"],
      ["default-provider-authorization-implicit-consent", "authorization"],
      ["default-provider-invalidation-flow", "invalidation"],
    ];
    for (const [slug, designation] of expected) {
      expect((await env.flows.flowsInstancesRetrieve({ slug })).designation).toBe(designation);
    }
    const authorization = await env.flows.flowsInstancesList({ designation: "authorization" });
    expect(authorization.results.map((f) => f.slug)).toEqual([
      "default-provider-authorization-explicit-consent",
      "default-provider-authorization-implicit-consent",
    ]);
    expect((await env.flows.flowsInstancesList({ slug: "default-invalidation-flow" })).results).toHaveLength(
      1,
    );
    expect(await errorOf(env.flows.flowsInstancesRetrieve({ slug: "missing" }))).toEqual({
      status: 404,
      body: { detail: "No Flow matches the given query." },
    });
  });

  it("finds the self-signed keypair by name and key, and the JWT one by managed id", async () => {
    env = await startWithClient();
    const selfSigned = await env.crypto.cryptoCertificatekeypairsList({
      name: "authentik Self-signed Certificate",
      hasKey: true,
    });
    expect(selfSigned.results).toHaveLength(1);
    expect(selfSigned.results[0]).toMatchObject({ privateKeyAvailable: true, keyType: "rsa" });
    const jwt = await env.crypto.cryptoCertificatekeypairsList({
      managed: "goauthentik.io/crypto/jwt-managed",
    });
    expect(jwt.results.map((k) => k.name)).toEqual(["authentik Internal JWT Certificate"]);
  });

  it("finds managed scope mappings with a repeated managed filter and refuses unknown ids", async () => {
    env = await startWithClient();
    const managed = [
      "goauthentik.io/providers/oauth2/scope-openid",
      "goauthentik.io/providers/oauth2/scope-email",
      "goauthentik.io/providers/oauth2/scope-profile",
    ];
    const found = await env.propertyMappings.propertymappingsProviderScopeList({ managed });
    expect(found.results.map((m) => m.scopeName).sort()).toEqual(["email", "openid", "profile"]);
    const one = await env.propertyMappings.propertymappingsProviderScopeRetrieve({
      pmUuid: found.results[0]?.pk ?? "",
    });
    expect(one.metaModelName).toBe("authentik_providers_oauth2.scopemapping");
    const unknown = await errorOf(
      env.propertyMappings.propertymappingsProviderScopeList({
        managed: ["goauthentik.io/providers/oauth2/scope-x"],
      }),
    );
    expect(unknown).toEqual({
      status: 400,
      body: {
        managed: [
          "Select a valid choice. goauthentik.io/providers/oauth2/scope-x is not one of the available choices.",
        ],
      },
    });
    const all = await env.propertyMappings.propertymappingsProviderScopeList({});
    expect(all.results.map((m) => m.managed)).toContain("goauthentik.io/providers/proxy/scope-proxy");
  });

  it("records model events for writes, newest first, filterable by action", async () => {
    env = await startWithClient();
    const group = await env.core.coreGroupsCreate({ groupRequest: { name: "g" } });
    await env.core.coreGroupsPartialUpdate({ groupUuid: group.pk, patchedGroupRequest: { name: "g2" } });
    await env.core.coreGroupsDestroy({ groupUuid: group.pk });
    const events = await env.events.eventsEventsList({ pageSize: 10 });
    expect(events.results.map((e) => e.action)).toEqual(["model_deleted", "model_updated", "model_created"]);
    expect(events.results[2]).toMatchObject({
      app: "authentik.events.middleware",
      user: { username: "akadmin" },
      context: {
        model: { app: "authentik_core", model_name: "group", pk: group.pk.replaceAll("-", ""), name: "g" },
      },
    });
    const created = await env.events.eventsEventsList({ action: "model_created" });
    expect(created.results).toHaveLength(1);
    const oldest = await env.events.eventsEventsList({ ordering: "created" });
    expect(oldest.results[0]?.action).toBe("model_created");
    const byPk = await env.call(
      "GET",
      `/api/v3/events/events/?context_model_pk=${group.pk.replaceAll("-", "")}`,
    );
    expect((byPk.json as { results: unknown[] }).results).toHaveLength(3);
  });
});
