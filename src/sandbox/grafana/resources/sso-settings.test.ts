import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestGrafana, type TestGrafana } from "../../../../test/helpers/grafana-sim-client.ts";

const BASE = "/api/v1/sso-settings";
const authentik = {
  enabled: true,
  name: "authentik",
  clientId: "grafana",
  clientSecret: "very-secret",
  scopes: "openid profile email",
  authUrl: "https://auth.lab/application/o/authorize/",
  tokenUrl: "https://auth.lab/application/o/token/",
  apiUrl: "https://auth.lab/application/o/userinfo/",
};

describe("Grafana simulator SSO settings", () => {
  let g: TestGrafana;
  beforeEach(async () => {
    g = await startTestGrafana();
  });
  afterEach(async () => {
    await g.sim.close();
  });

  it("lists the six OSS providers from the system settings", async () => {
    const list = await g.admin.get(BASE);
    expect(list.body.map((p: { provider: string }) => p.provider).sort()).toEqual([
      "azuread",
      "generic_oauth",
      "github",
      "gitlab",
      "google",
      "okta",
    ]);
    expect(list.body.every((p: { source: string }) => p.source === "system")).toBe(true);
  });

  it("stores with PUT 204 (no body), then GET shows source database and a masked clientSecret", async () => {
    const put = await g.admin.put(`${BASE}/generic_oauth`, { settings: authentik });
    expect([put.status, put.text]).toEqual([204, ""]);
    const got = await g.admin.get(`${BASE}/generic_oauth`);
    expect(got.body).toMatchObject({ provider: "generic_oauth", source: "database", id: expect.any(String) });
    expect(got.body.settings).toMatchObject({
      clientId: "grafana",
      clientSecret: "*********",
      enabled: true,
    });
    expect(got.text).not.toContain("very-secret");
  });

  it("accepts snake_case keys and stores them in camelCase", async () => {
    await g.admin.put(`${BASE}/generic_oauth`, {
      settings: { ...authentik, client_id: "snake", role_attribute_path: "'Admin'", clientId: undefined },
    });
    const got = await g.admin.get(`${BASE}/generic_oauth`);
    expect(got.body.settings).toMatchObject({ clientId: "snake", roleAttributePath: "'Admin'" });
    expect(got.body.settings.client_id).toBeUndefined();
  });

  it("keeps the stored secret when the mask is sent back, and PATCH merges", async () => {
    await g.admin.put(`${BASE}/generic_oauth`, { settings: authentik });
    await g.admin.put(`${BASE}/generic_oauth`, { settings: { ...authentik, clientSecret: "*********" } });
    expect(g.sim.state.sso.get("generic_oauth")?.settings.clientSecret).toBe("very-secret");
    expect((await g.admin.patch(`${BASE}/generic_oauth`, { settings: { allowSignUp: false } })).status).toBe(
      204,
    );
    const settings = g.sim.state.sso.get("generic_oauth")?.settings;
    expect(settings).toMatchObject({ allowSignUp: false, clientId: "grafana", clientSecret: "very-secret" });
  });

  it("goes back to the system settings on DELETE 204; deleting again is 404", async () => {
    await g.admin.put(`${BASE}/github`, { settings: { enabled: false, clientId: "gh" } });
    const removed = await g.admin.delete(`${BASE}/github`);
    expect([removed.status, removed.text]).toEqual([204, ""]);
    expect((await g.admin.get(`${BASE}/github`)).body.source).toBe("system");
    expect((await g.admin.delete(`${BASE}/github`)).status).toBe(404);
  });

  it("404s an unknown provider with the sso.notFound body", async () => {
    const expected = { message: "The provider was not found.", messageId: "sso.notFound", statusCode: 404 };
    expect((await g.admin.get(`${BASE}/saml`)).body).toEqual(expected);
    expect((await g.admin.put(`${BASE}/ldap`, { settings: {} })).body).toEqual(expected);
  });

  it("validates an enabled provider: missing clientId or a bad URL is a 400", async () => {
    const noClient = await g.admin.put(`${BASE}/generic_oauth`, { settings: { ...authentik, clientId: "" } });
    expect([noClient.status, noClient.body]).toEqual([
      400,
      { message: "Client Id is required.", messageId: "sso.invalidOauthConfig", statusCode: 400 },
    ]);
    const badUrl = await g.admin.put(`${BASE}/generic_oauth`, {
      settings: { ...authentik, authUrl: "not a url" },
    });
    expect(badUrl.body.message).toBe("Auth URL is an invalid URL.");
    const badToken = await g.admin.put(`${BASE}/okta`, { settings: { ...authentik, tokenUrl: "ftp://x" } });
    expect(badToken.body.message).toBe("Token URL is an invalid URL.");
    expect((await g.admin.put(`${BASE}/generic_oauth`, { settings: { enabled: false } })).status).toBe(204);
    const noSettings = await g.admin.put(`${BASE}/generic_oauth`, { provider: "x" });
    expect(noSettings.body.messageId).toBe("sso.settings");
    const notJson = await g.admin.put(`${BASE}/generic_oauth`, "{", { "content-type": "application/json" });
    expect(notJson.body).toEqual({ message: "Failed to parse request body" });
  });

  it("is for the server admin only: service-account tokens get 403 on every verb", async () => {
    for (const response of [
      await g.api.get(`${BASE}/generic_oauth`),
      await g.api.put(`${BASE}/generic_oauth`, { settings: authentik }),
      await g.api.delete(`${BASE}/generic_oauth`),
    ]) {
      expect(response.status).toBe(403);
      expect(response.body.title).toBe("Access denied");
    }
  });

  it("does not exist on a Grafana without the SSO settings API: 404 Not found, like an unknown route", async () => {
    const old = await startTestGrafana({ ssoSettingsApi: false });
    try {
      const response = await old.admin.get(`${BASE}/generic_oauth`);
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ message: "Not found" });
      expect((await old.admin.put(`${BASE}/generic_oauth`, { settings: authentik })).status).toBe(404);
    } finally {
      await old.sim.close();
    }
  });
});
