import { afterEach, describe, expect, it } from "vitest";
import {
  errorOf,
  type SimulatorWithClient,
  startWithClient,
} from "../../../../test/helpers/authentik-sim-client.ts";
import { DAY_MS } from "../clock.ts";

describe("/core/tokens/", () => {
  let env: SimulatorWithClient;
  afterEach(async () => env?.close());

  it("creates an API token whose key is only visible through view_key, and works as a bearer", async () => {
    env = await startWithClient();
    const token = await env.core.coreTokensCreate({
      tokenRequest: { identifier: "autopilot", intent: "api", expiring: false, description: "automation" },
    });
    expect(token).toMatchObject({ identifier: "autopilot", intent: "api", expiring: false });
    expect(token.userObj.username).toBe("akadmin");
    expect(JSON.stringify(token)).not.toMatch(/"key"/);
    const { key } = await env.core.coreTokensViewKeyRetrieve({ identifier: "autopilot" });
    expect(key).toMatch(/^[A-Za-z0-9]{60}$/);
    expect((await env.call("GET", "/api/v3/admin/version/", { token: key })).status).toBe(200);
    const events = await env.events.eventsEventsList({ action: "secret_view" });
    expect(events.results[0]?.context).toMatchObject({ secret: { model_name: "token", name: "autopilot" } });
  });

  it("ignores the expires it is sent and resets it to now + 1 day on every write", async () => {
    env = await startWithClient();
    const sent = new Date(Date.now() + 90 * DAY_MS);
    const created = await env.core.coreTokensCreate({ tokenRequest: { identifier: "t", expires: sent } });
    const firstExpiry = created.expires?.getTime() ?? 0;
    expect(Math.abs(firstExpiry - (Date.now() + DAY_MS))).toBeLessThan(5000);
    env.sim.state.clock.advance(60 * 60 * 1000);
    const patched = await env.core.coreTokensPartialUpdate({
      identifier: "t",
      patchedTokenRequest: { description: "x", expires: sent },
    });
    expect((patched.expires?.getTime() ?? 0) - firstExpiry).toBeGreaterThanOrEqual(60 * 60 * 1000 - 1000);
  });

  it("stops accepting an expiring token once it has expired", async () => {
    env = await startWithClient();
    await env.core.coreTokensCreate({ tokenRequest: { identifier: "short" } });
    const { key } = await env.core.coreTokensViewKeyRetrieve({ identifier: "short" });
    env.sim.state.clock.advance(DAY_MS + 1000);
    expect((await env.call("GET", "/api/v3/admin/version/", { token: key })).json).toEqual({
      detail: "Token invalid/expired",
    });
    // Retrieve still finds expired tokens.
    expect((await env.core.coreTokensRetrieve({ identifier: "short" })).identifier).toBe("short");
  });

  it("replaces the key with set_key (204) and refuses an empty one", async () => {
    env = await startWithClient();
    await env.core.coreTokensCreate({ tokenRequest: { identifier: "pushed", expiring: false } });
    const key = "k".repeat(60);
    const raw = await env.core.coreTokensSetKeyCreateRaw({
      identifier: "pushed",
      tokenSetKeyRequest: { key },
    });
    expect(raw.raw.status).toBe(204);
    expect((await env.core.coreTokensViewKeyRetrieve({ identifier: "pushed" })).key).toBe(key);
    const blank = await env.call("POST", "/api/v3/core/tokens/pushed/set_key/", { body: { key: "" } });
    expect(blank.json).toEqual({ key: ["This field may not be blank."] });
    expect(
      await errorOf(env.core.coreTokensSetKeyCreate({ identifier: "none", tokenSetKeyRequest: { key } })),
    ).toEqual({
      status: 404,
      body: { detail: "No Token matches the given query." },
    });
  });

  it("accepts only api and app_password intents; app passwords are not API bearers", async () => {
    env = await startWithClient();
    expect(
      await errorOf(env.core.coreTokensCreate({ tokenRequest: { identifier: "v", intent: "verification" } })),
    ).toEqual({
      status: 400,
      body: { intent: ["Invalid intent verification"] },
    });
    await env.core.coreTokensCreate({ tokenRequest: { identifier: "pw", intent: "app_password" } });
    const { key } = await env.core.coreTokensViewKeyRetrieve({ identifier: "pw" });
    expect((await env.call("GET", "/api/v3/admin/version/", { token: key })).status).toBe(403);
    const tooLong = await errorOf(
      env.core.coreTokensCreate({
        tokenRequest: {
          identifier: "pw2",
          intent: "app_password",
          expires: new Date(Date.now() + 30 * DAY_MS),
        },
      }),
    );
    expect((tooLong.body as { expires: string[] }).expires[0]).toMatch(
      /^Token expires exceeds maximum lifetime \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}\+00:00 UTC\)\.$/,
    );
  });

  it("turns an app password into an API token when a PATCH leaves out intent", async () => {
    env = await startWithClient();
    await env.core.coreTokensCreate({ tokenRequest: { identifier: "pw", intent: "app_password" } });
    const patched = await env.core.coreTokensPartialUpdate({
      identifier: "pw",
      patchedTokenRequest: { description: "x" },
    });
    expect(patched.intent).toBe("api");
  });

  it("refuses a duplicate identifier and a change of owner", async () => {
    env = await startWithClient();
    const other = env.sim.state.addUser({ username: "eve" });
    await env.core.coreTokensCreate({ tokenRequest: { identifier: "dup" } });
    expect((await errorOf(env.core.coreTokensCreate({ tokenRequest: { identifier: "dup" } }))).body).toEqual({
      identifier: ["Token with this identifier already exists."],
    });
    const moved = await errorOf(
      env.core.coreTokensUpdate({ identifier: "dup", tokenRequest: { identifier: "dup", user: other.pk } }),
    );
    expect(moved.body).toEqual({ user: ["User cannot be changed"] });
    const unknown = await env.call("POST", "/api/v3/core/tokens/", { body: { identifier: "u", user: 4242 } });
    expect(unknown.json).toEqual({ user: ['Invalid pk "4242" - object does not exist.'] });
  });

  it("lists, filters and deletes tokens", async () => {
    env = await startWithClient();
    await env.core.coreTokensCreate({ tokenRequest: { identifier: "listed" } });
    expect((await env.core.coreTokensList({ identifier: "listed" })).results).toHaveLength(1);
    expect(
      (await env.core.coreTokensList({ userUsername: "akadmin" })).results.map((t) => t.identifier),
    ).toEqual(["authentik-bootstrap-token", "listed"]);
    await env.core.coreTokensDestroy({ identifier: "listed" });
    expect(await errorOf(env.core.coreTokensRetrieve({ identifier: "listed" }))).toEqual({
      status: 404,
      body: { detail: "No Token matches the given query." },
    });
  });

  it("lets a non-superuser manage only their own tokens, owned by them", async () => {
    env = await startWithClient();
    const user = env.sim.state.addUser({
      username: "frank",
      attributes: { "goauthentik.io/user/token-expires": false },
    });
    const login = env.sim.state.addToken({ identifier: "frank-login", user: user.pk });
    const admin = env.sim.state.users.find((u) => u.username === "akadmin");
    const created = await env.call("POST", "/api/v3/core/tokens/", {
      token: login.key,
      body: { identifier: "frank-own", user: admin?.pk, expiring: true },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ user: user.pk, expiring: false });
    const list = await env.call("GET", "/api/v3/core/tokens/", { token: login.key });
    expect((list.json as { results: { identifier: string }[] }).results.map((t) => t.identifier)).toEqual([
      "frank-login",
      "frank-own",
    ]);
    expect(
      (await env.call("GET", "/api/v3/core/tokens/frank-own/view_key/", { token: login.key })).status,
    ).toBe(200);
    expect(
      (await env.call("GET", "/api/v3/core/tokens/authentik-bootstrap-token/", { token: login.key })).status,
    ).toBe(404);
    const setKey = await env.call("POST", "/api/v3/core/tokens/frank-own/set_key/", {
      token: login.key,
      body: { key: "x".repeat(20) },
    });
    expect(setKey.status).toBe(403);
    expect(
      (await env.call("PATCH", "/api/v3/core/tokens/frank-own/", { token: login.key, body: {} })).status,
    ).toBe(200);
  });
});
