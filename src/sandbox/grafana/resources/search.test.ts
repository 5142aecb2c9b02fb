import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGrafana, type TestGrafana } from "../../../../test/helpers/grafana-sim-client.ts";

describe("Grafana simulator search", () => {
  let g: TestGrafana;
  let storage: { uid: string; id: number };
  let media: { uid: string };
  beforeAll(async () => {
    g = await startTestGrafana();
    storage = (await g.api.post("/api/folders", { title: "Storage" })).body;
    media = (await g.api.post("/api/folders", { title: "Media" })).body;
    await g.api.post("/api/folders", { title: "Disks", parentUid: storage.uid });
    const save = (dashboard: Record<string, unknown>, folderUid?: string) =>
      g.api.post("/api/dashboards/db", { dashboard, ...(folderUid ? { folderUid } : {}) });
    await save({ uid: "nas", title: "NAS health", tags: ["storage", "homelab"] }, storage.uid);
    await save({ uid: "plex", title: "Plex", tags: ["media"] }, media.uid);
    await save({ uid: "home", title: "Home", tags: ["homelab"] });
  });
  afterAll(async () => {
    await g.sim.close();
  });

  const titles = async (query: string) =>
    ((await g.api.get(`/api/search${query}`)).body as Array<{ title: string }>).map((hit) => hit.title);

  it("returns folders and dashboards sorted by title", async () => {
    expect(await titles("")).toEqual(["Disks", "Home", "Media", "NAS health", "Plex", "Storage"]);
    expect(await titles("?sort=alpha-desc")).toEqual([
      "Storage",
      "Plex",
      "NAS health",
      "Media",
      "Home",
      "Disks",
    ]);
  });

  it("filters by type, query and tags (every tag must match)", async () => {
    expect(await titles("?type=dash-folder")).toEqual(["Disks", "Media", "Storage"]);
    expect(await titles("?type=dash-db&query=nas")).toEqual(["NAS health"]);
    expect(await titles("?tag=homelab")).toEqual(["Home", "NAS health"]);
    expect(await titles("?tag=homelab&tag=storage")).toEqual(["NAS health"]);
  });

  it("takes list parameters as repeated keys, not comma-separated values", async () => {
    expect(await titles(`?folderUIDs=${storage.uid}&folderUIDs=${media.uid}&type=dash-db`)).toEqual([
      "NAS health",
      "Plex",
    ]);
    expect(await titles(`?folderUIDs=${storage.uid},${media.uid}`)).toEqual([]);
    expect(await titles("?dashboardUIDs=nas&dashboardUIDs=home")).toEqual(["Home", "NAS health"]);
    expect(await titles("?folderUIDs=general&type=dash-db")).toEqual(["Home"]);
  });

  it("describes hits with Grafana's fields, folder fields only inside a folder", async () => {
    const [nas] = (await g.api.get("/api/search?dashboardUIDs=nas")).body;
    expect(nas).toMatchObject({
      uid: "nas",
      type: "dash-db",
      uri: "db/nas-health",
      url: "/d/nas/nas-health",
      tags: ["storage", "homelab"],
      folderUid: storage.uid,
      folderTitle: "Storage",
      folderId: storage.id,
    });
    const [home] = (await g.api.get("/api/search?dashboardUIDs=home")).body;
    expect(home.folderUid).toBeUndefined();
  });

  it("pages with limit and page, and refuses a limit above 5000 with 422", async () => {
    expect(await titles("?limit=2&page=2")).toEqual(["Media", "NAS health"]);
    const tooMany = await g.api.get("/api/search?limit=5001");
    expect([tooMany.status, tooMany.body]).toEqual([
      422,
      { message: "Limit is above maximum allowed (5000), use page instead" },
    ]);
  });
});
