import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestGrafana, type TestGrafana } from "../../../../test/helpers/grafana-sim-client.ts";

describe("Grafana simulator service accounts and tokens", () => {
  let g: TestGrafana;
  beforeEach(async () => {
    g = await startTestGrafana();
  });
  afterEach(async () => {
    await g.sim.close();
  });

  async function account(name = "autopilot-ci", role = "Editor") {
    const response = await g.api.post("/api/serviceaccounts", { name, role });
    expect(response.status).toBe(201);
    return response.body;
  }

  it("creates with 201 and the account DTO", async () => {
    expect(await account()).toEqual({
      id: expect.any(Number),
      uid: expect.any(String),
      name: "autopilot-ci",
      login: "sa-1-autopilot-ci",
      orgId: 1,
      isDisabled: false,
      isExternal: false,
      role: "Editor",
      tokens: 0,
      avatarUrl: expect.stringMatching(/^\/avatar\/[0-9a-f]{32}$/),
    });
  });

  it("answers a duplicate with 400 serviceaccounts.ErrAlreadyExists, not 409", async () => {
    await account();
    const dup = await g.api.post("/api/serviceaccounts", { name: "autopilot-ci", role: "Viewer" });
    expect([dup.status, dup.body]).toEqual([
      400,
      {
        message: "service account already exists",
        messageId: "serviceaccounts.ErrAlreadyExists",
        statusCode: 400,
      },
    ]);
  });

  it("validates the body: name required ('Bad request data'), an unknown role is the handler's 400", async () => {
    const noName = await g.api.post("/api/serviceaccounts", { role: "Viewer" });
    expect([noName.status, noName.body]).toEqual([400, { message: "Bad request data" }]);
    const badRole = await g.api.post("/api/serviceaccounts", { name: "x", role: "Owner" });
    expect([badRole.status, badRole.body]).toEqual([
      400,
      {
        message: "invalid role specified",
        messageId: "serviceaccounts.ErrInvalidRoleSpecified",
        statusCode: 400,
      },
    ]);
    const defaulted = await g.api.post("/api/serviceaccounts", { name: "no-role" });
    expect(defaulted.body.role).toBe("Viewer");
    const editor = g.as(g.sim.createServiceAccountToken({ role: "Editor" }).key);
    expect((await editor.get("/api/serviceaccounts/search")).status).toBe(403);
  });

  it("searches with paging and gets, patches and deletes by numeric id", async () => {
    const created = await account("alpha");
    await account("beta", "Viewer");
    const search = await g.api.get("/api/serviceaccounts/search?query=al&perpage=10");
    expect(search.body).toMatchObject({ totalCount: 1, page: 1, perPage: 10 });
    expect(search.body.serviceAccounts[0].name).toBe("alpha");
    expect((await g.api.get(`/api/serviceaccounts/${created.id}`)).body.name).toBe("alpha");
    const patched = await g.api.patch(`/api/serviceaccounts/${created.id}`, {
      name: "alpha2",
      role: "Viewer",
    });
    expect(patched.body).toMatchObject({
      message: "Service account updated",
      id: created.id,
      name: "alpha2",
      serviceaccount: { login: "sa-1-alpha2", role: "Viewer" },
    });
    expect((await g.api.delete(`/api/serviceaccounts/${created.id}`)).body).toEqual({
      message: "Service account deleted",
    });
    const missing = await g.api.get(`/api/serviceaccounts/${created.id}`);
    expect([missing.status, missing.body.messageId]).toEqual([404, "serviceaccounts.ErrNotFound"]);
    expect((await g.api.get("/api/serviceaccounts/abc")).status).toBe(400);
  });

  it("returns a token key once, lists TokenDTOs without it (expiration null when none)", async () => {
    const { id } = await account();
    const created = await g.api.post(`/api/serviceaccounts/${id}/tokens`, { name: "ci" });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      id: expect.any(Number),
      name: "ci",
      key: expect.stringMatching(/^glsa_[A-Za-z0-9]{32}_[0-9a-f]{8}$/),
    });
    const listed = await g.api.get(`/api/serviceaccounts/${id}/tokens`);
    expect(listed.body).toEqual([
      {
        id: created.body.id,
        name: "ci",
        created: expect.any(String),
        lastUsedAt: null,
        expiration: null,
        secondsUntilExpiration: 0,
        hasExpired: false,
        isRevoked: false,
      },
    ]);
    expect(listed.text).not.toContain(created.body.key);
    expect((await g.as(created.body.key).get("/api/org")).status).toBe(200);
    expect((await g.api.get(`/api/serviceaccounts/${id}`)).body.tokens).toBe(1);
  });

  it("honours secondsToLive: seconds left in the last week, then hasExpired and 401", async () => {
    const { id } = await account();
    const created = await g.api.post(`/api/serviceaccounts/${id}/tokens`, {
      name: "short",
      secondsToLive: 3600,
    });
    const [fresh] = (await g.api.get(`/api/serviceaccounts/${id}/tokens`)).body;
    expect(fresh.expiration).toMatch(/Z$/);
    expect(fresh.secondsUntilExpiration).toBeGreaterThan(3500);
    g.sim.state.clock.advance(3601);
    const [expired] = (await g.api.get(`/api/serviceaccounts/${id}/tokens`)).body;
    expect([expired.hasExpired, expired.secondsUntilExpiration]).toEqual([true, 0]);
    expect((await g.as(created.body.key).get("/api/org")).body.messageId).toBe("api-key.expired");
    const search = await g.api.get("/api/serviceaccounts/search?expiredTokens=true");
    expect(search.body.serviceAccounts.map((a: { id: number }) => a.id)).toEqual([id]);
    const long = await g.api.post(`/api/serviceaccounts/${id}/tokens`, {
      name: "long",
      secondsToLive: 30 * 86400,
    });
    expect(long.status).toBe(200);
    const listed = (await g.api.get(`/api/serviceaccounts/${id}/tokens`)).body;
    expect(listed.find((t: { name: string }) => t.name === "long").secondsUntilExpiration).toBe(0);
  });

  it("keeps token names unique in the whole org (400) and refuses a negative secondsToLive", async () => {
    const a = await account("a");
    const b = await account("b");
    await g.api.post(`/api/serviceaccounts/${a.id}/tokens`, { name: "shared" });
    const dup = await g.api.post(`/api/serviceaccounts/${b.id}/tokens`, { name: "shared" });
    expect([dup.status, dup.body]).toEqual([
      400,
      {
        message: "service account token with given name already exists in the organization",
        messageId: "serviceaccounts.ErrTokenAlreadyExists",
        statusCode: 400,
      },
    ]);
    const negative = await g.api.post(`/api/serviceaccounts/${a.id}/tokens`, {
      name: "neg",
      secondsToLive: -1,
    });
    expect([negative.status, negative.body.messageId]).toEqual([400, "serviceaccounts.ErrInvalidInput"]);
    expect((await g.api.post(`/api/serviceaccounts/${a.id}/tokens`, {})).body).toEqual({
      message: "Bad request data",
    });
    expect((await g.api.post("/api/serviceaccounts/999/tokens", { name: "x" })).status).toBe(404);
  });

  it("deletes a token, which then stops working; an unknown token is ErrTokenNotFound", async () => {
    const { id } = await account();
    const created = await g.api.post(`/api/serviceaccounts/${id}/tokens`, { name: "gone" });
    const removed = await g.api.delete(`/api/serviceaccounts/${id}/tokens/${created.body.id}`);
    expect(removed.body).toEqual({ message: "Service account token deleted" });
    expect((await g.as(created.body.key).get("/api/org")).status).toBe(401);
    const again = await g.api.delete(`/api/serviceaccounts/${id}/tokens/${created.body.id}`);
    expect([again.status, again.body.messageId]).toEqual([404, "serviceaccounts.ErrTokenNotFound"]);
    expect((await g.api.delete(`/api/serviceaccounts/${id}/tokens/x`)).status).toBe(400);
    expect((await g.api.get("/api/serviceaccounts/x/tokens")).status).toBe(400);
  });

  it("deletes an account's tokens with it and refuses renaming onto another account", async () => {
    const a = await account("a");
    await account("b");
    const token = await g.api.post(`/api/serviceaccounts/${a.id}/tokens`, { name: "t" });
    const clash = await g.api.patch(`/api/serviceaccounts/${a.id}`, { name: "b" });
    expect(clash.body.messageId).toBe("serviceaccounts.ErrAlreadyExists");
    await g.api.delete(`/api/serviceaccounts/${a.id}`);
    expect((await g.as(token.body.key).get("/api/org")).status).toBe(401);
  });
});
