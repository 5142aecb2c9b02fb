import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestGrafana, type TestGrafana } from "../../../../test/helpers/grafana-sim-client.ts";

describe("Grafana simulator teams", () => {
  let g: TestGrafana;
  beforeEach(async () => {
    g = await startTestGrafana();
  });
  afterEach(async () => {
    await g.sim.close();
  });

  async function team(name: string) {
    const response = await g.api.post("/api/teams", { name, email: `${name}@lab` });
    expect(response.status).toBe(200);
    return response.body;
  }

  it("creates with {message, teamId, uid} and refuses a taken name with 409", async () => {
    const created = await team("admins");
    expect(created).toEqual({ message: "Team created", teamId: expect.any(Number), uid: expect.any(String) });
    const dup = await g.api.post("/api/teams", { name: "admins" });
    expect([dup.status, dup.body]).toEqual([409, { message: "Team name taken" }]);
    expect((await g.api.post("/api/teams", { email: "x@y" })).body).toEqual({ message: "bad request data" });
    // binding:"Required" compares with the zero value: "" is as missing as no field at all.
    expect((await g.api.post("/api/teams", { name: "" })).status).toBe(400);
  });

  it("searches, gets, updates and deletes by numeric id", async () => {
    const { teamId } = await team("family");
    await team("admins");
    const search = await g.api.get("/api/teams/search?query=fam");
    expect(search.body).toMatchObject({ totalCount: 1, page: 1, perPage: 1000 });
    expect(search.body.teams[0]).toMatchObject({
      id: teamId,
      name: "family",
      memberCount: 0,
      isProvisioned: false,
    });
    expect((await g.api.get("/api/teams/search?name=admins")).body.totalCount).toBe(1);
    expect((await g.api.get(`/api/teams/${teamId}`)).body.email).toBe("family@lab");
    const clash = await g.api.put(`/api/teams/${teamId}`, { name: "admins" });
    expect([clash.status, clash.body]).toEqual([409, { message: "Team name taken" }]);
    expect((await g.api.put(`/api/teams/${teamId}`, { name: "kin", email: "kin@lab" })).body).toEqual({
      message: "Team updated",
    });
    expect((await g.api.delete(`/api/teams/${teamId}`)).body).toEqual({ message: "Team deleted" });
    expect((await g.api.get(`/api/teams/${teamId}`)).body).toEqual({ message: "Team not found" });
    expect((await g.api.delete(`/api/teams/${teamId}`)).status).toBe(404);
    expect((await g.api.get("/api/teams/abc")).status).toBe(400);
  });

  it("adds, lists and removes members, and replaces the set by email with PUT", async () => {
    const { teamId } = await team("ops");
    const alice = g.sim.state.createUser({ login: "alice", email: "alice@lab" });
    const bob = g.sim.state.createUser({ login: "bob", email: "bob@lab" });
    const added = await g.api.post(`/api/teams/${teamId}/members`, { userId: alice.id });
    expect(added.body).toEqual({ message: "Member added to Team" });
    const again = await g.api.post(`/api/teams/${teamId}/members`, { userId: alice.id });
    expect([again.status, again.body]).toEqual([400, { message: "User is already added to this team" }]);
    const members = await g.api.get(`/api/teams/${teamId}/members`);
    expect(members.body).toEqual([
      expect.objectContaining({ userId: alice.id, login: "alice", permission: 0, teamId }),
    ]);
    const replaced = await g.api.put(`/api/teams/${teamId}/members`, {
      members: ["bob@lab"],
      admins: ["alice@lab"],
    });
    expect(replaced.body).toEqual({ message: "Team memberships have been updated" });
    const now = (await g.api.get(`/api/teams/${teamId}/members`)).body;
    expect(now.map((m: { login: string; permission: number }) => [m.login, m.permission])).toEqual([
      ["bob", 0],
      ["alice", 4],
    ]);
    expect((await g.api.delete(`/api/teams/${teamId}/members/${bob.id}`)).body).toEqual({
      message: "Team Member removed",
    });
    expect((await g.api.delete(`/api/teams/${teamId}/members/${bob.id}`)).status).toBe(404);
    expect((await g.api.put(`/api/teams/${teamId}/members`, { members: ["ghost@lab"] })).status).toBe(404);
    expect((await g.api.post(`/api/teams/${teamId}/members`, { userId: 999 })).status).toBe(500);
    expect((await g.api.get(`/api/teams/${teamId}`)).body.memberCount).toBe(1);
  });
});
