import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestGrafana, type TestGrafana } from "../../../../test/helpers/grafana-sim-client.ts";

const prometheus = { name: "Prometheus", type: "prometheus", access: "proxy", url: "http://prometheus:9090" };

describe("Grafana simulator datasources", () => {
  let g: TestGrafana;
  beforeEach(async () => {
    g = await startTestGrafana();
  });
  afterEach(async () => {
    await g.sim.close();
  });

  async function create(body: Record<string, unknown> = prometheus) {
    const response = await g.api.post("/api/datasources", body);
    expect(response.status).toBe(200);
    return response.body;
  }

  it("creates with 200 {id, name, message, datasource} and generates a uid", async () => {
    const created = await create();
    expect(created).toMatchObject({
      id: expect.any(Number),
      name: "Prometheus",
      message: "Datasource added",
    });
    expect(created.datasource.uid).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
    expect(created.datasource).toMatchObject({
      version: 1,
      readOnly: false,
      secureJsonFields: {},
      jsonData: {},
    });
    const listed = await g.api.get("/api/datasources");
    expect(listed.body).toEqual([
      expect.objectContaining({ uid: created.datasource.uid, typeName: "Prometheus" }),
    ]);
  });

  it("finds a datasource by uid and by name, and 404s otherwise", async () => {
    const { datasource } = await create();
    expect((await g.api.get(`/api/datasources/uid/${datasource.uid}`)).body.name).toBe("Prometheus");
    expect((await g.api.get("/api/datasources/name/Prometheus")).body.uid).toBe(datasource.uid);
    const missing = await g.api.get("/api/datasources/uid/nope");
    expect([missing.status, missing.body]).toEqual([404, { message: "Data source not found" }]);
    expect((await g.api.get("/api/datasources/name/nope")).status).toBe(404);
  });

  it("requires type and access on create (bad request data), and names an unnamed one after its type", async () => {
    const missing = await g.api.post("/api/datasources", { name: "x", url: "http://x" });
    expect([missing.status, missing.body]).toEqual([400, { message: "bad request data" }]);
    expect((await g.api.post("/api/datasources", { type: "", access: "proxy" })).status).toBe(400);
    const first = await create({ type: "loki", access: "proxy" });
    const second = await create({ type: "loki", access: "proxy" });
    expect([first.name, second.name]).toEqual(["loki", "loki-1"]);
  });

  it("answers 409 for a duplicate name or uid with Grafana's messages", async () => {
    const { datasource } = await create();
    const byName = await g.api.post("/api/datasources", prometheus);
    expect([byName.status, byName.body]).toEqual([
      409,
      { message: "data source with the same name already exists" },
    ]);
    const byUid = await g.api.post("/api/datasources", { ...prometheus, name: "Other", uid: datasource.uid });
    expect([byUid.status, byUid.body]).toEqual([
      409,
      { message: "data source with the same uid already exists" },
    ]);
  });

  it("applies the version rules: stale 409, 0 or omitted skips the check and rewrites to 1, larger accepted", async () => {
    const { datasource } = await create();
    const path = `/api/datasources/uid/${datasource.uid}`;
    const v2 = await g.api.put(path, { ...prometheus, version: 1 });
    expect([v2.status, v2.body.message, v2.body.datasource.version]).toEqual([200, "Datasource updated", 2]);
    const stale = await g.api.put(path, { ...prometheus, version: 1 });
    expect([stale.status, stale.body]).toEqual([
      409,
      { message: "Datasource has already been updated by someone else. Please reload and try again" },
    ]);
    expect((await g.api.put(path, prometheus)).body.datasource.version).toBe(1);
    expect((await g.api.put(path, { ...prometheus, version: 0 })).body.datasource.version).toBe(1);
    expect((await g.api.put(path, { ...prometheus, version: 41 })).body.datasource.version).toBe(42);
  });

  it("replaces every field on PUT: an omitted url or jsonData is reset", async () => {
    const { datasource } = await create({ ...prometheus, jsonData: { httpMethod: "POST" } });
    const updated = await g.api.put(`/api/datasources/uid/${datasource.uid}`, {
      name: "Prometheus",
      type: "prometheus",
    });
    expect(updated.body.datasource).toMatchObject({ url: "", jsonData: {}, access: "" });
  });

  it("keeps secrets write-only: fields as key presence, omitted keys kept, '' blanks", async () => {
    const created = await create({
      ...prometheus,
      secureJsonData: { basicAuthPassword: "s3cret", token: "t" },
    });
    expect(JSON.stringify(created)).not.toContain("s3cret");
    expect(created.datasource.secureJsonFields).toEqual({ basicAuthPassword: true, token: true });
    const path = `/api/datasources/uid/${created.datasource.uid}`;
    const kept = await g.api.put(path, { ...prometheus, secureJsonData: { token: "" } });
    expect(kept.body.datasource.secureJsonFields).toEqual({ basicAuthPassword: true });
    expect(g.sim.state.org().datasources.get(created.datasource.uid)?.secureJsonData.basicAuthPassword).toBe(
      "s3cret",
    );
    expect(JSON.stringify((await g.api.get(path)).body)).not.toContain("s3cret");
  });

  it("keeps a single default datasource per org", async () => {
    const first = await create({ ...prometheus, isDefault: true });
    await create({ name: "Loki", type: "loki", access: "proxy", isDefault: true });
    const again = await g.api.get(`/api/datasources/uid/${first.datasource.uid}`);
    expect(again.body.isDefault).toBe(false);
    const defaults = (await g.api.get("/api/datasources")).body.filter(
      (d: { isDefault: boolean }) => d.isDefault,
    );
    expect(defaults.map((d: { name: string }) => d.name)).toEqual(["Loki"]);
  });

  it("refuses a rename onto another datasource's name", async () => {
    await create();
    const loki = await create({ name: "Loki", type: "loki", access: "proxy" });
    const renamed = await g.api.put(`/api/datasources/uid/${loki.datasource.uid}`, {
      ...prometheus,
      type: "loki",
    });
    expect([renamed.status, renamed.body]).toEqual([
      409,
      { message: "Failed to update datasource: data source with the same name already exists" },
    ]);
  });

  it("refuses to change or delete a provisioned (read-only) datasource", async () => {
    const { datasource } = await create();
    g.sim.state.makeDatasourceReadOnly(datasource.uid);
    const update = await g.api.put(`/api/datasources/uid/${datasource.uid}`, prometheus);
    expect([update.status, update.body]).toEqual([403, { message: "Cannot update read-only data source" }]);
    const remove = await g.api.delete(`/api/datasources/uid/${datasource.uid}`);
    expect([remove.status, remove.body]).toEqual([403, { message: "Cannot delete read-only data source" }]);
  });

  it("answers 404 for PUT and DELETE of an unknown uid, and deletes with a message", async () => {
    expect((await g.api.put("/api/datasources/uid/nope", prometheus)).status).toBe(404);
    expect((await g.api.delete("/api/datasources/uid/nope")).status).toBe(404);
    const { datasource } = await create();
    const removed = await g.api.delete(`/api/datasources/uid/${datasource.uid}`);
    expect(removed.body).toEqual({ message: "Data source deleted", id: datasource.id });
    expect((await g.api.get("/api/datasources")).body).toEqual([]);
  });

  it("refuses team HTTP headers on create and a uid change onto a taken uid", async () => {
    const headers = await g.api.post("/api/datasources", {
      ...prometheus,
      jsonData: { teamHttpHeaders: {} },
    });
    expect(headers.status).toBe(403);
    const a = await create();
    const b = await create({ name: "B", type: "loki", access: "proxy" });
    const clash = await g.api.put(`/api/datasources/uid/${b.datasource.uid}`, {
      name: "B",
      type: "loki",
      uid: a.datasource.uid,
    });
    expect(clash.status).toBe(500);
    const moved = await g.api.put(`/api/datasources/uid/${b.datasource.uid}`, {
      name: "B",
      type: "loki",
      uid: "new-uid",
    });
    expect(moved.body.datasource.uid).toBe("new-uid");
  });
});
