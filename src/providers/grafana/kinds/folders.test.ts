import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DesiredResource } from "../../../engine/resource.ts";
import type { FolderRecord } from "../../../sandbox/grafana/models.ts";
import { type GrafanaHarness, grafanaHarness } from "../grafana-harness.fixture.ts";
import type { FolderSpec } from "./folders.ts";

const folder = (uid: string, title: string, parentUid = ""): DesiredResource<FolderSpec> => ({
  ref: { target: "grafana", kind: "folder", key: uid },
  ...(parentUid ? { dependsOn: [{ target: "grafana", kind: "folder", key: parentUid }] } : {}),
  spec: { uid, title, parentUid },
});

describe("Grafana folders", () => {
  let h: GrafanaHarness;
  const stored = (uid: string) => h.sim.state.org().folders.get(uid) as FolderRecord;
  const tree = [
    folder("infra", "Infrastructure"),
    folder("storage", "Storage", "infra"),
    folder("media", "Media"),
  ];

  beforeEach(async () => {
    h = await grafanaHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it("creates nested folders parents first, listing every depth in one search", async () => {
    expect((await h.apply(tree)).converged).toBe(true);
    expect(stored("storage")).toMatchObject({ title: "Storage", parentUid: "infra" });
    const before = h.sim.server.log.all().length;
    const plan = await h.plan(tree);
    expect(plan.plan.actions.every((action) => action.type === "noop")).toBe(true);
    const folderReads = h.sim.server.log
      .all()
      .slice(before)
      .filter((entry) => entry.path.startsWith("/api/folders") || entry.path === "/api/search");
    expect(folderReads).toHaveLength(1);
  });

  it("moves a folder with POST /move, keeping the dashboards inside", async () => {
    await h.apply(tree);
    const inside = { ...stored("storage") };
    h.sim.state.org().dashboards.set("nas", {
      id: 50,
      uid: "nas",
      orgId: 1,
      title: "NAS",
      folderUid: "storage",
      version: 1,
      model: { title: "NAS" },
      created: inside.created,
      updated: inside.updated,
      createdBy: "x",
      updatedBy: "x",
      provisioned: false,
      provisionedExternalId: "",
      pluginId: "",
    });
    const moved = [tree[0], folder("storage", "Storage", "media"), tree[2]] as DesiredResource[];
    const plan = await h.plan(moved);
    expect(plan.plan.actions.find((a) => a.type === "update")?.changes).toEqual([
      { path: "parentUid", before: "infra", after: "media" },
    ]);
    expect((await h.execute(moved, plan)).converged).toBe(true);
    expect(stored("storage").parentUid).toBe("media");
    expect(stored("storage").id).toBe(inside.id);
    expect(h.sim.state.org().dashboards.get("nas")?.folderUid).toBe("storage");
    const writes = h.sim.server.log.writes().map((entry) => `${entry.method} ${entry.path}`);
    expect(writes).toContain("POST /api/folders/storage/move");
    expect(writes.some((write) => write.startsWith("DELETE"))).toBe(false);
  });

  it("renames with the version it just read, and retries once after a 412", async () => {
    await h.apply(tree);
    const renamed = [folder("infra", "Infra"), tree[1], tree[2]] as DesiredResource[];
    const plan = await h.plan(renamed);
    // The fresh read passes; the PUT commits but its answer is lost and the HTTP core repeats
    // it with the now stale version: 412, read again, and the title is already right.
    h.faultAt(2, { kind: "lose-response" });
    expect((await h.execute(renamed, plan)).converged).toBe(true);
    expect(stored("infra")).toMatchObject({ title: "Infra", version: 2 });
    const puts = h.sim.server.log.all().filter((entry) => entry.method === "PUT");
    expect(puts.map((entry) => entry.status)).toEqual([200, 412]);
  });

  it("refuses to delete a folder that still holds a dashboard it does not manage", async () => {
    await h.apply([folder("media", "Media")]);
    const now = stored("media").created;
    h.sim.state.org().dashboards.set("plex", {
      id: 70,
      uid: "plex",
      orgId: 1,
      title: "Plex",
      folderUid: "media",
      version: 1,
      model: { title: "Plex" },
      created: now,
      updated: now,
      createdBy: "x",
      updatedBy: "x",
      provisioned: false,
      provisionedExternalId: "",
      pluginId: "",
    });
    const result = await h.apply([]);
    expect(result.converged).toBe(false);
    expect(result.results[0]?.error?.message).toContain("still holds 1 dashboard");
    expect(h.sim.state.org().dashboards.has("plex")).toBe(true);
    h.sim.state.org().dashboards.delete("plex");
    expect((await h.apply([])).converged).toBe(true);
    expect(h.sim.state.org().folders.has("media")).toBe(false);
  });
});
