import { afterEach, describe, expect, it } from "vitest";
import { type GrafanaHarness, grafanaHarness } from "./grafana-harness.fixture.ts";

const oneFolder = [
  { ref: { target: "grafana", kind: "folder", key: "f" }, spec: { uid: "f", title: "F", parentUid: "" } },
];

describe("Grafana sessions", () => {
  let h: GrafanaHarness;
  const pathsRead = () =>
    h.sim.server.log
      .all()
      .map((entry) => entry.path)
      .sort();
  afterEach(async () => {
    await h.close();
  });

  it("refuse a Grafana outside the supported releases before writing, having read only health and organisation", async () => {
    h = await grafanaHarness({ version: "10.4.3" });
    const plan = await h.plan(oneFolder);
    expect(plan.plan.unavailable.get("grafana")?.message).toContain(
      "Grafana 10.4.3 is outside the supported range",
    );
    // The organisation is asked for with the health check (a round trip saved on every run).
    expect(pathsRead()).toEqual(["/api/health", "/api/org"]);
  });

  it("check the token once, with one request, when it is wrong", async () => {
    h = await grafanaHarness();
    h.sim.state.revokeToken(h.sim.token);
    const plan = await h.plan(oneFolder);
    expect(plan.plan.unavailable.get("grafana")).toMatchObject({ kind: "auth" });
    expect(pathsRead()).toEqual(["/api/health", "/api/org"]);
  });
});
