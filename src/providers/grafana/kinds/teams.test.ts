import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DesiredResource } from "../../../engine/resource.ts";
import { type GrafanaHarness, grafanaHarness } from "../grafana-harness.fixture.ts";
import type { TeamSpec } from "./teams.ts";

const team = (spec: Partial<TeamSpec> = {}): DesiredResource<TeamSpec> => ({
  ref: { target: "grafana", kind: "team", key: "Ops" },
  spec: { name: "Ops", email: "ops@lab", members: ["alice", "bob@lab"], ...spec },
});

describe("Grafana teams", () => {
  let h: GrafanaHarness;
  const stored = () => [...h.sim.state.org().teams.values()].find((t) => t.name === "Ops");
  const memberLogins = () =>
    [...(stored()?.members.keys() ?? [])].map((id) => h.sim.state.users.get(id)?.login).sort();

  beforeEach(async () => {
    h = await grafanaHarness();
    h.sim.state.createUser({ login: "alice", email: "alice@lab" });
    h.sim.state.createUser({ login: "bob", email: "bob@lab" });
    h.sim.state.createUser({ login: "carol", email: "carol@lab" });
  });
  afterEach(async () => {
    await h.close();
  });

  it("creates a team with its members named by login or email, then changes nothing", async () => {
    expect((await h.apply([team()])).converged).toBe(true);
    expect(stored()?.email).toBe("ops@lab");
    expect(memberLogins()).toEqual(["alice", "bob"]);
    const before = h.sim.server.log.writes().length;
    expect((await h.plan([team()])).plan.actions.map((a) => a.type)).toEqual(["noop"]);
    expect(h.sim.server.log.writes().length - before).toBe(0);
  });

  it("replaces the membership in one request when it differs", async () => {
    await h.apply([team()]);
    const plan = await h.plan([team({ members: ["alice", "carol"] })]);
    expect(plan.plan.actions[0]?.changes).toEqual([
      { path: "members", before: ["alice", "bob"], after: ["alice", "carol"] },
    ]);
    const before = h.sim.server.log.writes().length;
    await h.execute([team({ members: ["alice", "carol"] })], plan);
    expect(memberLogins()).toEqual(["alice", "carol"]);
    expect(h.sim.server.log.writes().length - before).toBe(1);
  });

  it("leaves the membership alone when the config lists no members, and updates the email", async () => {
    await h.apply([team()]);
    await h.apply([team({ members: undefined, email: "ops2@lab" })]);
    expect(stored()?.email).toBe("ops2@lab");
    expect(memberLogins()).toEqual(["alice", "bob"]);
  });

  it("marks the team invalid, naming the user, when a member is unknown to Grafana", async () => {
    const result = await h.apply([team({ members: ["dave"] })]);
    expect(result.converged).toBe(false);
    expect(result.results[0]).toMatchObject({ type: "invalid" });
    expect(result.results[0]?.error?.message).toContain('no user "dave"');
  });

  it("finds the team again by name after a lost answer to its creation, without a second team", async () => {
    const plan = await h.plan([team()]);
    h.faultAt(2, { kind: "lose-response" });
    expect((await h.execute([team()], plan)).converged).toBe(true);
    expect([...h.sim.state.org().teams.values()].filter((t) => t.name === "Ops")).toHaveLength(1);
  });
});
