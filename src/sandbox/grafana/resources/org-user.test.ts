import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestGrafana, type TestGrafana } from "../../../../test/helpers/grafana-sim-client.ts";

describe("Grafana simulator current org and user", () => {
  let g: TestGrafana;
  beforeEach(async () => {
    g = await startTestGrafana({ adminUser: "root", adminPassword: "hunter2" });
  });
  afterEach(async () => {
    await g.sim.close();
  });

  it("returns the current org", async () => {
    expect((await g.api.get("/api/org")).body).toMatchObject({ id: 1, name: "Main Org." });
  });

  it("describes a service account the way GetSignedInUser does for non-users", async () => {
    const user = await g.api.get("/api/user");
    expect(user.body).toMatchObject({
      id: 0,
      uid: expect.stringMatching(/^service-account:\d+$/),
      login: "sa-1-autopilot-sandbox",
      name: "autopilot-sandbox",
      isGrafanaAdmin: false,
      authLabels: null,
      createdAt: "0001-01-01T00:00:00Z",
    });
  });

  it("describes the Basic-auth admin from the user table", async () => {
    const user = await g.admin.get("/api/user");
    expect(user.body).toMatchObject({
      id: 1,
      login: "root",
      email: "admin@localhost",
      isGrafanaAdmin: true,
      authLabels: [],
    });
  });

  it("lists the organisation's users without its service accounts", async () => {
    g.sim.state.createUser({ login: "alice", email: "alice@lab", role: "Editor" });
    const users = (await g.api.get("/api/org/users")).body as {
      login: string;
      email: string;
      role: string;
    }[];
    expect(users.map((user) => [user.login, user.email, user.role])).toEqual([
      ["root", "admin@localhost", "Admin"],
      ["alice", "alice@lab", "Editor"],
    ]);
  });
});
