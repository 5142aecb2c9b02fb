import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestGrafana, type TestGrafana } from "../../../../test/helpers/grafana-sim-client.ts";

describe("Grafana simulator folders", () => {
  let g: TestGrafana;
  beforeEach(async () => {
    g = await startTestGrafana();
  });
  afterEach(async () => {
    await g.sim.close();
  });

  async function folder(title: string, extra: Record<string, unknown> = {}) {
    const response = await g.api.post("/api/folders", { title, ...extra });
    expect(response.status).toBe(200);
    return response.body;
  }

  it("creates nested folders and reports parents from the root down", async () => {
    const top = await folder("Infra", { uid: "infra" });
    const mid = await folder("Storage", { parentUid: top.uid });
    const leaf = await folder("NAS", { parentUid: mid.uid });
    expect(top).toMatchObject({ uid: "infra", title: "Infra", version: 1, url: "/dashboards/f/infra/infra" });
    expect(top.parentUid).toBeUndefined();
    const got = await g.api.get(`/api/folders/${leaf.uid}`);
    expect(got.body.parentUid).toBe(mid.uid);
    expect(got.body.parents.map((p: { uid: string }) => p.uid)).toEqual(["infra", mid.uid]);
  });

  it("lists the children of parentUid (root when absent) with limit and page", async () => {
    const parent = await folder("Parent");
    for (const title of ["b", "a", "c"]) await folder(title, { parentUid: parent.uid });
    const root = await g.api.get("/api/folders");
    expect(root.body.map((f: { title: string }) => f.title)).toEqual(["Parent"]);
    const children = await g.api.get(`/api/folders?parentUid=${parent.uid}&limit=2&page=2`);
    expect(children.body).toEqual([expect.objectContaining({ title: "c", parentUid: parent.uid })]);
  });

  it("answers 404 with status not-found for an unknown folder", async () => {
    const response = await g.api.get("/api/folders/nope");
    expect([response.status, response.body]).toEqual([
      404,
      { status: "not-found", message: "folder not found" },
    ]);
    expect((await g.api.post("/api/folders", { title: "x", parentUid: "nope" })).status).toBe(404);
  });

  it("refuses a duplicate uid with 409 and an empty title or bad uid with 400", async () => {
    await folder("One", { uid: "same" });
    const dup = await g.api.post("/api/folders", { title: "Two", uid: "same" });
    expect([dup.status, dup.body]).toEqual([
      409,
      { message: "a folder/dashboard with the same uid already exists" },
    ]);
    expect((await g.api.post("/api/folders", { title: "  " })).body).toEqual({
      message: "folder title cannot be empty",
    });
    expect((await g.api.post("/api/folders", { title: "x", uid: "a b" })).body).toEqual({
      message: "uid contains illegal characters",
    });
    expect((await g.api.post("/api/folders", { title: "x", uid: "general" })).status).toBe(400);
  });

  it("allows duplicate titles by default and refuses them per folder when configured", async () => {
    await folder("Same");
    expect((await g.api.post("/api/folders", { title: "Same" })).status).toBe(200);
    const strict = await startTestGrafana({ titleUniqueness: "per-folder" });
    try {
      await strict.api.post("/api/folders", { title: "Same" });
      const clash = await strict.api.post("/api/folders", { title: "same" });
      expect(clash.status).toBe(409);
    } finally {
      await strict.sim.close();
    }
  });

  it("updates with the current version and answers 412 version-mismatch otherwise", async () => {
    const created = await folder("Old");
    const path = `/api/folders/${created.uid}`;
    const stale = await g.api.put(path, { title: "New", version: 0 });
    expect([stale.status, stale.body]).toEqual([
      412,
      { status: "version-mismatch", message: "the folder has been changed by someone else" },
    ]);
    const updated = await g.api.put(path, { title: "New", version: 1 });
    expect(updated.body).toMatchObject({ title: "New", version: 2 });
    expect((await g.api.put(path, { title: "Forced", overwrite: true })).body.version).toBe(3);
    expect((await g.api.put("/api/folders/nope", { title: "x", version: 1 })).status).toBe(404);
  });

  it("does not move a folder on PUT; /move does, with '' meaning the root", async () => {
    const a = await folder("A");
    const b = await folder("B");
    const put = await g.api.put(`/api/folders/${b.uid}`, { title: "B", version: 1, parentUid: a.uid });
    expect(put.body.parentUid).toBeUndefined();
    const moved = await g.api.post(`/api/folders/${b.uid}/move`, { parentUid: a.uid });
    expect(moved.body.parentUid).toBe(a.uid);
    const back = await g.api.post(`/api/folders/${b.uid}/move`, { parentUid: "" });
    expect(back.status).toBe(200);
    expect(back.body.parentUid).toBeUndefined();
  });

  it("refuses to make a folder its own parent or ancestor", async () => {
    const a = await folder("A");
    const b = await folder("B", { parentUid: a.uid });
    const self = await g.api.post(`/api/folders/${a.uid}/move`, { parentUid: a.uid });
    expect([self.status, self.body]).toEqual([400, { message: "folder cannot be parent of itself" }]);
    const cycle = await g.api.post(`/api/folders/${a.uid}/move`, { parentUid: b.uid });
    expect(cycle.status).toBe(400);
    expect(cycle.body.messageId).toBe("folder.circular-reference");
    expect((await g.api.post(`/api/folders/${a.uid}/move`, { parentUid: "nope" })).status).toBe(404);
  });

  it("stops nesting at the maximum depth, on create and on move", async () => {
    let parentUid = "";
    for (let level = 1; level <= 8; level++) parentUid = (await folder(`L${level}`, { parentUid })).uid;
    const tooDeep = await g.api.post("/api/folders", { title: "L9", parentUid });
    expect([tooDeep.status, tooDeep.body]).toEqual([400, { message: "Maximum nested folder depth reached" }]);
    const loose = await folder("Loose");
    await folder("Child", { parentUid: loose.uid });
    const deepMove = await g.api.post(`/api/folders/${loose.uid}/move`, { parentUid });
    expect(deepMove.status).toBe(400);
  });

  it("deletes a folder with its subfolders and every dashboard inside", async () => {
    const parent = await folder("Parent");
    const child = await folder("Child", { parentUid: parent.uid });
    await g.api.post("/api/dashboards/db", { dashboard: { title: "In child" }, folderUid: child.uid });
    await g.api.post("/api/dashboards/db", { dashboard: { title: "At root" } });
    const removed = await g.api.delete(`/api/folders/${parent.uid}`);
    expect(removed.body).toEqual({ title: "Parent", message: "Folder Parent deleted", id: parent.id });
    const left = (await g.api.get("/api/search")).body.map((hit: { title: string }) => hit.title);
    expect(left).toEqual(["At root"]);
  });

  it("refuses to delete a folder holding alert rules unless forceDeleteRules=true", async () => {
    const created = await folder("Alerts");
    g.sim.state.org().alertRules.set("r1", {
      id: 1,
      uid: "r1",
      orgId: 1,
      folderUid: created.uid,
      ruleGroup: "g",
      title: "t",
      condition: "A",
      data: [],
      noDataState: "NoData",
      execErrState: "Error",
      forSeconds: 0,
      keepFiringForSeconds: 0,
      annotations: {},
      labels: {},
      isPaused: false,
      notificationSettings: null,
      record: null,
      updated: "2026-01-01T00:00:00Z",
      provenance: "api",
    });
    const blocked = await g.api.delete(`/api/folders/${created.uid}`);
    expect([blocked.status, blocked.body]).toEqual([
      400,
      { message: "folder cannot be deleted: folder contains alert rules" },
    ]);
    expect((await g.api.delete(`/api/folders/${created.uid}?forceDeleteRules=true`)).status).toBe(200);
    expect(g.sim.state.org().alertRules.size).toBe(0);
  });
});
