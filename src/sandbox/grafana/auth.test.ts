import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestGrafana, type TestGrafana, wireClient } from "../../../test/helpers/grafana-sim-client.ts";
import { generateTokenKey } from "./token-key.ts";

describe("Grafana simulator authentication and authorization", () => {
  let g: TestGrafana;
  beforeEach(async () => {
    g = await startTestGrafana({ version: "13.0.2" });
  });
  afterEach(async () => {
    await g.sim.close();
  });

  it("serves /api/health (GET and HEAD) and /healthz without credentials", async () => {
    const health = await g.anonymous.get("/api/health");
    expect(health.status).toBe(200);
    expect(health.body).toEqual({
      database: "ok",
      version: "13.0.2",
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    const head = await g.anonymous.request("HEAD", "/api/health");
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    const live = await g.anonymous.get("/healthz");
    expect([live.status, live.text]).toEqual([200, "Ok"]);
  });

  it("answers 503 with the health body when the database probe fails", async () => {
    g.sim.state.databaseFailing = true;
    const health = await g.anonymous.get("/api/health");
    expect(health.status).toBe(503);
    expect(health.body.database).toBe("failing");
  });

  it("refuses a request without credentials with the errutil 401 body", async () => {
    const response = await g.anonymous.get("/api/datasources");
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      message: "Unauthorized",
      messageId: "auth.unauthorized",
      statusCode: 401,
    });
  });

  it("refuses an unknown or malformed token as an invalid API key", async () => {
    const expected = { message: "Invalid API key", messageId: "api-key.invalid", statusCode: 401 };
    expect((await g.as(generateTokenKey()).get("/api/org")).body).toEqual(expected);
    expect((await g.as("glsa_not-a-real-token").get("/api/org")).body).toEqual(expected);
    const tampered = `${g.sim.token.slice(0, -1)}${g.sim.token.endsWith("0") ? "1" : "0"}`;
    expect((await g.as(tampered).get("/api/org")).status).toBe(401);
  });

  it("refuses an expired token once the clock passes secondsToLive", async () => {
    const { key } = g.sim.createServiceAccountToken({ secondsToLive: 60 });
    expect((await g.as(key).get("/api/org")).status).toBe(200);
    g.sim.state.clock.advance(61);
    const response = await g.as(key).get("/api/org");
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      message: "Expired API key",
      messageId: "api-key.expired",
      statusCode: 401,
    });
  });

  it("refuses a revoked token", async () => {
    const { key } = g.sim.createServiceAccountToken();
    g.sim.state.revokeToken(key);
    const response = await g.as(key).get("/api/org");
    expect(response.body).toEqual({
      message: "Revoked API key",
      messageId: "api-key.revoked",
      statusCode: 401,
    });
  });

  it("accepts the token as Basic api_key:<token>", async () => {
    const client = wireClient(g.sim.url, { basic: ["api_key", g.sim.token] });
    expect((await client.get("/api/org")).status).toBe(200);
  });

  it("refuses a wrong Basic password", async () => {
    const client = wireClient(g.sim.url, { basic: [g.sim.adminUser, "wrong"] });
    const response = await client.get("/api/org");
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      message: "Invalid username or password",
      messageId: "password-auth.failed",
      statusCode: 401,
    });
  });

  it("binds a token to its org: another org in the header or query is a 401 mismatch", async () => {
    g.sim.state.createOrg("Second");
    const mismatch = {
      message: "API key does not belong to the requested organization",
      messageId: "api-key.organization-mismatch",
      statusCode: 401,
    };
    expect((await g.api.get("/api/org", { "x-grafana-org-id": "2" })).body).toEqual(mismatch);
    expect((await g.api.get("/api/org?targetOrgId=2")).body).toEqual(mismatch);
    // The query wins over the header.
    expect((await g.api.get("/api/org?targetOrgId=1", { "x-grafana-org-id": "2" })).status).toBe(200);
  });

  it("lets the admin switch orgs with Basic auth and keeps each org's objects apart", async () => {
    g.sim.state.createOrg("Second");
    const second = await g.admin.get("/api/org", { "x-grafana-org-id": "2" });
    expect(second.body).toMatchObject({ id: 2, name: "Second" });
    await g.admin.post("/api/folders", { title: "only in 2" }, { "x-grafana-org-id": "2" });
    expect((await g.api.get("/api/folders")).body).toEqual([]);
    const stranger = g.sim.state.createUser({ login: "bob", password: "pw" });
    const bob = wireClient(g.sim.url, { basic: ["bob", "pw"] });
    expect(stranger.id).toBeGreaterThan(1);
    expect((await bob.get("/api/org", { "x-grafana-org-id": "2" })).status).toBe(401);
  });

  it("enforces Viewer < Editor < Admin with the RBAC 403 body", async () => {
    const viewer = g.as(g.sim.createServiceAccountToken({ role: "Viewer" }).key);
    expect((await viewer.get("/api/datasources")).status).toBe(200);
    const denied = await viewer.post("/api/datasources", { name: "p", type: "prometheus", access: "proxy" });
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({
      title: "Access denied",
      message:
        "You'll need additional permissions to perform this action. Permissions needed: datasources:create",
      accessErrorId: expect.stringMatching(/^ACE\d{10}$/),
    });
    const editor = g.as(g.sim.createServiceAccountToken({ role: "Editor" }).key);
    expect((await editor.post("/api/folders", { title: "ok for editors" })).status).toBe(200);
    expect((await editor.post("/api/datasources", { type: "prometheus", access: "proxy" })).status).toBe(403);
    const none = g.as(g.sim.createServiceAccountToken({ role: "None" }).key);
    expect((await none.get("/api/org")).status).toBe(403);
  });

  it("keeps SSO settings for the server admin: an Admin service account gets 403", async () => {
    const response = await g.api.get("/api/v1/sso-settings");
    expect(response.status).toBe(403);
    expect(response.body.message).toContain("Permissions needed: settings:read");
    expect((await g.admin.get("/api/v1/sso-settings")).status).toBe(200);
  });

  it("answers unknown API routes 404 before authenticating", async () => {
    const response = await g.anonymous.get("/api/nothing-here");
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ message: "Not found" });
    expect((await g.anonymous.get("/other")).status).toBe(404);
  });

  it("treats an unknown scheme as missing credentials and records last use of a token", async () => {
    const response = await wireClient(g.sim.url, "none").get("/api/org", { authorization: "Digest abc" });
    expect(response.status).toBe(401);
    await g.api.get("/api/org");
    const token = g.sim.state.findToken(g.sim.token);
    expect(token?.lastUsedAt).not.toBeNull();
  });

  it("stops accepting the tokens of a disabled service account", async () => {
    const issued = g.sim.createServiceAccountToken();
    await g.api.patch(`/api/serviceaccounts/${issued.serviceAccountId}`, { isDisabled: true });
    expect((await g.as(issued.key).get("/api/org")).body.messageId).toBe("api-key.invalid");
  });
});
