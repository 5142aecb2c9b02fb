import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DesiredResource } from "../../../engine/resource.ts";
import type { DashboardRecord } from "../../../sandbox/grafana/models.ts";
import { type GrafanaHarness, grafanaHarness } from "../grafana-harness.fixture.ts";
import type { DashboardSpec } from "./dashboards.ts";

const folder: DesiredResource = {
  ref: { target: "grafana", kind: "folder", key: "storage" },
  spec: { uid: "storage", title: "Storage", parentUid: "" },
};
const model = {
  id: null,
  title: "NAS",
  tags: ["storage"],
  schemaVersion: 36,
  version: 3,
  panels: [{ id: 1, type: "stat", title: "Free space", targets: [{ expr: "node_filesystem_free_bytes" }] }],
};
const dashboard = (overrides: Partial<DashboardSpec> = {}): DesiredResource<DashboardSpec> => ({
  ref: { target: "grafana", kind: "dashboard", key: "nas" },
  dependsOn: [folder.ref],
  spec: { uid: "nas", folderUid: "storage", model, ...overrides },
});

describe("Grafana dashboards", () => {
  let h: GrafanaHarness;
  const stored = () => h.sim.state.org().dashboards.get("nas") as DashboardRecord;
  const saves = () => h.sim.server.log.all().filter((entry) => entry.path === "/api/dashboards/db");

  beforeEach(async () => {
    h = await grafanaHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it("creates the dashboard in its folder and never saves it again while nothing changed", async () => {
    expect((await h.apply([folder, dashboard()])).converged).toBe(true);
    expect(stored()).toMatchObject({ folderUid: "storage", version: 1, title: "NAS" });
    // Grafana rewrote schemaVersion and wrote id and version into the model: not drift.
    expect(stored().model).toMatchObject({ schemaVersion: 42, id: stored().id, version: 1 });
    const before = h.sim.server.log.writes().length;
    const plan = await h.plan([folder, dashboard()]);
    expect(plan.plan.actions.map((action) => action.type)).toEqual(["noop", "noop"]);
    await h.apply([folder, dashboard()]);
    expect(h.sim.server.log.writes().length - before).toBe(0);
  });

  it("reads in full only the dashboards the config manages", async () => {
    await h.apply([folder, dashboard()]);
    for (let i = 0; i < 5; i++) {
      h.sim.state.org().dashboards.set(`foreign-${i}`, { ...stored(), uid: `foreign-${i}`, id: 100 + i });
    }
    const before = h.sim.server.log.all().length;
    await h.plan([folder, dashboard()]);
    const reads = h.sim.server.log
      .all()
      .slice(before)
      .filter((entry) => entry.path.startsWith("/api/dashboards/uid/"));
    expect(reads.map((entry) => entry.path)).toEqual(["/api/dashboards/uid/nas"]);
  });

  it("sees an edit made in the UI as drift naming the panel field, and restores the config's model", async () => {
    await h.apply([folder, dashboard()]);
    const edited = structuredClone(stored().model) as { panels: { title: string }[] };
    (edited.panels[0] as { title: string }).title = "Used space";
    stored().model = edited;
    h.sim.state.bumpDashboardVersion("nas");
    const plan = await h.plan([folder, dashboard()]);
    const update = plan.plan.actions.find((action) => action.type === "update");
    expect(update).toMatchObject({ drift: true });
    expect(update?.changes).toEqual([
      { path: "model.panels[0].title", before: "Used space", after: "Free space" },
    ]);
    expect((await h.execute([folder, dashboard()], plan)).converged).toBe(true);
    expect((stored().model.panels as { title: string }[])[0]?.title).toBe("Free space");
    expect(stored().version).toBe(3);
  });

  it("re-reads after a 412 and does not save again when the fresh copy already matches", async () => {
    await h.apply([folder, dashboard()]);
    const plan = await h.plan([folder, dashboard({ model: { ...model, tags: ["storage", "nas"] } })]);
    // Someone saves the same change in the UI between our plan and our save.
    stored().model = { ...stored().model, tags: ["storage", "nas"] };
    h.sim.state.bumpDashboardVersion("nas");
    const result = await h.execute(
      [folder, dashboard({ model: { ...model, tags: ["storage", "nas"] } })],
      plan,
    );
    expect(result.converged).toBe(true);
    expect(saves().map((entry) => entry.status)).toEqual([200, 412]);
    expect(stored().version).toBe(2);
  });

  it("re-reads after a 412 and saves once more on top of the fresh version, losing neither save", async () => {
    await h.apply([folder, dashboard()]);
    const wanted = dashboard({ model: { ...model, tags: ["storage", "nas"] } });
    const plan = await h.plan([folder, wanted]);
    h.sim.state.bumpDashboardVersion("nas");
    const result = await h.execute([folder, wanted], plan);
    expect(result.converged).toBe(true);
    expect(saves().map((entry) => entry.status)).toEqual([200, 412, 200]);
    expect(stored()).toMatchObject({ version: 3, model: { tags: ["storage", "nas"] } });
    expect(h.sim.state.org().dashboards.size).toBe(1);
  });

  it("after a save whose answer was lost, re-reads and does not save the same change twice", async () => {
    await h.apply([folder, dashboard()]);
    const wanted = dashboard({ model: { ...model, title: "NAS (main)" } });
    const plan = await h.plan([folder, wanted]);
    h.faultAt(1, { kind: "lose-response" });
    const result = await h.execute([folder, wanted], plan);
    expect(result.converged).toBe(true);
    expect(result.results.find((r) => r.ref.kind === "dashboard")?.attempts).toBe(1);
    expect(saves()).toHaveLength(2);
    expect(stored()).toMatchObject({ title: "NAS (main)", version: 2 });
  });

  it("moves a dashboard to another folder by saving it with the new folderUid", async () => {
    const other: DesiredResource = {
      ref: { target: "grafana", kind: "folder", key: "archive" },
      spec: { uid: "archive", title: "Archive", parentUid: "" },
    };
    await h.apply([folder, other, dashboard()]);
    const plan = await h.plan([folder, other, dashboard({ folderUid: "archive" })]);
    expect(plan.plan.actions.find((a) => a.type === "update")?.changes).toEqual([
      { path: "folderUid", before: "storage", after: "archive" },
    ]);
    await h.execute([folder, other, dashboard({ folderUid: "archive" })], plan);
    expect(stored().folderUid).toBe("archive");
  });

  it("deletes a dashboard it created when the config drops it, and leaves a foreign one alone", async () => {
    await h.apply([folder, dashboard()]);
    h.sim.state.org().dashboards.set("foreign", { ...stored(), uid: "foreign", id: 99, folderUid: "" });
    expect((await h.apply([folder])).converged).toBe(true);
    expect([...h.sim.state.org().dashboards.keys()]).toEqual(["foreign"]);
  });
});
