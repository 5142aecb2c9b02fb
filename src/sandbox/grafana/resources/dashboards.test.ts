import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestGrafana, type TestGrafana } from "../../../../test/helpers/grafana-sim-client.ts";

const VERSION_MISMATCH = {
  message: "The dashboard has been changed by someone else",
  status: "version-mismatch",
};

describe("Grafana simulator dashboards", () => {
  let g: TestGrafana;
  beforeEach(async () => {
    g = await startTestGrafana();
  });
  afterEach(async () => {
    await g.sim.close();
  });

  const save = (body: Record<string, unknown>) => g.api.post("/api/dashboards/db", body);

  it("creates at version 1 with a generated uid, in the root when folderUid is omitted", async () => {
    const response = await save({ dashboard: { title: "Node Overview", panels: [] } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      id: expect.any(Number),
      uid: expect.stringMatching(/^[a-z][a-z0-9]{13}$/),
      url: `/d/${response.body.uid}/node-overview`,
      status: "success",
      version: 1,
      slug: "node-overview",
      folderUid: "",
    });
    expect(response.body.title).toBeUndefined();
    const got = await g.api.get(`/api/dashboards/uid/${response.body.uid}`);
    expect(got.body.meta).toMatchObject({
      folderUid: "",
      folderTitle: "General",
      version: 1,
      provisioned: false,
    });
  });

  it("stores id, uid and version in the model and rewrites a lower schemaVersion to 42", async () => {
    const saved = await save({ dashboard: { uid: "nas", title: "NAS", schemaVersion: 36 } });
    const got = await g.api.get("/api/dashboards/uid/nas");
    expect(got.body.dashboard).toEqual({
      uid: "nas",
      title: "NAS",
      schemaVersion: 42,
      id: saved.body.id,
      version: 1,
    });
    await save({ dashboard: { uid: "new", title: "New", schemaVersion: 43 } });
    expect((await g.api.get("/api/dashboards/uid/new")).body.dashboard.schemaVersion).toBe(43);
  });

  it("answers 412 when an existing uid is re-posted without version or overwrite", async () => {
    await save({ dashboard: { uid: "d", title: "D" } });
    const again = await save({ dashboard: { uid: "d", title: "D" } });
    expect([again.status, again.body]).toEqual([412, VERSION_MISMATCH]);
    const stale = await save({ dashboard: { uid: "d", title: "D", version: 7 } });
    expect(stale.status).toBe(412);
  });

  it("increments the version on every save with the current version", async () => {
    await save({ dashboard: { uid: "d", title: "D" } });
    const second = await save({ dashboard: { uid: "d", title: "D", version: 1 } });
    const third = await save({ dashboard: { uid: "d", title: "D", version: 2 } });
    expect([second.body.version, third.body.version]).toEqual([2, 3]);
  });

  it("adopts the stored version with overwrite, even after someone else saved", async () => {
    await save({ dashboard: { uid: "d", title: "D" } });
    g.sim.state.bumpDashboardVersion("d");
    g.sim.state.bumpDashboardVersion("d");
    expect((await save({ dashboard: { uid: "d", title: "D", version: 1 } })).status).toBe(412);
    const forced = await save({ dashboard: { uid: "d", title: "D" }, overwrite: true });
    expect(forced.body.version).toBe(4);
  });

  it("finds by id: an unknown id is 404, an id/uid pair naming two dashboards is 400", async () => {
    const first = await save({ dashboard: { uid: "a", title: "A" } });
    await save({ dashboard: { uid: "b", title: "B" } });
    const unknown = await save({ dashboard: { id: 9999, title: "X" } });
    expect([unknown.status, unknown.body]).toEqual([
      404,
      { message: "Dashboard not found", status: "not-found" },
    ]);
    const conflict = await save({ dashboard: { id: first.body.id, uid: "b", title: "A", version: 1 } });
    expect([conflict.status, conflict.body]).toEqual([
      400,
      { message: "A dashboard with the same uid already exists" },
    ]);
    const byId = await save({ dashboard: { id: first.body.id, title: "A2", version: 1 } });
    expect([byId.body.uid, byId.body.version]).toEqual(["a", 2]);
  });

  it("moves to the root when folderUid is omitted on update, and 400s for an unknown folder", async () => {
    const folder = (await g.api.post("/api/folders", { title: "F" })).body;
    await save({ dashboard: { uid: "d", title: "D" }, folderUid: folder.uid });
    expect((await g.api.get("/api/dashboards/uid/d")).body.meta).toMatchObject({
      folderUid: folder.uid,
      folderTitle: "F",
      folderUrl: folder.url,
    });
    await save({ dashboard: { uid: "d", title: "D", version: 1 } });
    expect((await g.api.get("/api/dashboards/uid/d")).body.meta.folderUid).toBe("");
    const unknown = await save({ dashboard: { title: "X" }, folderUid: "nope" });
    expect([unknown.status, unknown.body]).toEqual([400, { message: "folder not found" }]);
  });

  it("validates with Grafana's 400 messages", async () => {
    const empty = await save({ dashboard: { title: " " } });
    expect(empty.body).toEqual({ message: "Dashboard title cannot be empty", status: "empty-name" });
    expect((await save({ dashboard: { title: "x", uid: "x".repeat(41) } })).body).toEqual({
      message: "uid too long, max 40 characters",
    });
    expect((await save({ dashboard: { title: "x", uid: "a/b" } })).body).toEqual({
      message: "uid contains illegal characters",
    });
    expect((await save({ dashboard: { title: "x" }, message: "m".repeat(501) })).body).toEqual({
      message: "message too long, max 500 characters",
    });
    expect((await save({ dashboard: { title: "x", refresh: "1s" } })).body).toEqual({
      message: "Dashboard refresh interval is too low",
    });
    expect((await save({ dashboard: { title: "t".repeat(5001) } })).body.status).toBe("title-too-long");
    const folder = (await g.api.post("/api/folders", { title: "F", uid: "f" })).body;
    expect((await save({ dashboard: { title: "x", uid: folder.uid } })).status).toBe(400);
  });

  it("refuses to save or delete a provisioned dashboard and protects plugin dashboards", async () => {
    await save({ dashboard: { uid: "p", title: "P" } });
    const record = g.sim.state.org().dashboards.get("p");
    if (!record) throw new Error("dashboard not stored");
    record.provisioned = true;
    expect((await save({ dashboard: { uid: "p", title: "P", version: 1 } })).body).toEqual({
      message: "Cannot save provisioned dashboard",
    });
    const deleted = await g.api.delete("/api/dashboards/uid/p");
    expect([deleted.status, deleted.body]).toEqual([
      400,
      { message: "provisioned dashboard cannot be deleted" },
    ]);
    record.provisioned = false;
    record.pluginId = "grafana-piechart";
    const plugin = await save({ dashboard: { uid: "p", title: "P", version: 1 } });
    expect([plugin.status, plugin.body.status]).toEqual([412, "plugin-dashboard"]);
    expect((await save({ dashboard: { uid: "p", title: "P" }, overwrite: true })).status).toBe(200);
  });

  it("allows duplicate titles by default; per-folder uniqueness gives 412 name-exists unless overwrite", async () => {
    await save({ dashboard: { title: "Same" } });
    expect((await save({ dashboard: { title: "Same" } })).status).toBe(200);
    const strict = await startTestGrafana({ titleUniqueness: "per-folder" });
    try {
      await strict.api.post("/api/dashboards/db", { dashboard: { uid: "one", title: "Same" } });
      const clash = await strict.api.post("/api/dashboards/db", { dashboard: { uid: "two", title: "same" } });
      expect([clash.status, clash.body]).toEqual([
        412,
        { message: "A dashboard with the same name in the folder already exists", status: "name-exists" },
      ]);
      const replaced = await strict.api.post("/api/dashboards/db", {
        dashboard: { uid: "two", title: "Same" },
        overwrite: true,
      });
      expect(replaced.status).toBe(200);
      expect((await strict.api.get("/api/dashboards/uid/one")).status).toBe(404);
    } finally {
      await strict.sim.close();
    }
  });

  it("gets with meta and deletes with {title, message, uid}; a missing dashboard is 404", async () => {
    await save({ dashboard: { uid: "d", title: "Disk" } });
    const got = await g.api.get("/api/dashboards/uid/d");
    expect(got.body.meta).toMatchObject({
      url: "/d/d/disk",
      slug: "disk",
      canSave: true,
      isFolder: false,
      type: "db",
    });
    const removed = await g.api.delete("/api/dashboards/uid/d");
    expect(removed.body).toEqual({ title: "Disk", message: "Dashboard Disk deleted", uid: "d" });
    const missing = await g.api.get("/api/dashboards/uid/d");
    expect([missing.status, missing.body]).toEqual([404, { message: "Dashboard not found" }]);
    expect((await g.api.delete("/api/dashboards/uid/d")).status).toBe(404);
  });

  it("needs Editor to save: a Viewer gets the RBAC 403 naming both permissions", async () => {
    const viewer = g.as(g.sim.createServiceAccountToken({ role: "Viewer" }).key);
    const denied = await viewer.post("/api/dashboards/db", { dashboard: { title: "x" } });
    expect(denied.body.message).toContain("Permissions needed: any of dashboards:create, dashboards:write");
    await save({ dashboard: { uid: "d", title: "D" } });
    expect((await viewer.get("/api/dashboards/uid/d")).body.meta.canSave).toBe(false);
  });
});
