import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteStateStore, type SqliteStateStore } from "./sqlite-state-store.ts";
import { StateError } from "./state-error.ts";

let dir: string;
let file: string;
const opened: SqliteStateStore[] = [];

async function open(options: Parameters<typeof openSqliteStateStore>[1] = {}): Promise<SqliteStateStore> {
  const store = await openSqliteStateStore(file, options);
  opened.push(store);
  return store;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "autopilot-state-"));
  file = path.join(dir, "nested", "state", "autopilot.db");
});

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const app = { target: "authentik", kind: "application", key: "grafana" };

describe("opening the state file", () => {
  it("creates a private directory (0700) and a private file (0600), and SQLite's side files follow", async () => {
    const store = await open();
    await store.recordOwnership({ ...app, externalId: "7", origin: "created" });
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    for (const name of ["autopilot.db", "autopilot.db-wal", "autopilot.db-shm"]) {
      expect(fs.statSync(path.join(path.dirname(file), name)).mode & 0o777).toBe(0o600);
    }
    expect(store.file).toBe(path.resolve(file));
  });

  it("refuses a file that is not SQLite, naming the file and saying what to do", async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, "this is not a database, it is a grocery list\n".repeat(50));
    const error = await openSqliteStateStore(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StateError);
    expect((error as StateError).kind).toBe("state");
    expect((error as StateError).message).toContain(file);
    expect((error as StateError).hint).toMatch(/backup/);
  });

  it("refuses a path that is a directory with a clear error", async () => {
    fs.mkdirSync(file, { recursive: true });
    const error = await openSqliteStateStore(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StateError);
    expect((error as StateError).message).toContain(file);
  });

  it("reports a directory it cannot create as a StateError", async () => {
    const blocker = path.join(dir, "blocker");
    fs.writeFileSync(blocker, "a file where a directory should be");
    const error = await openSqliteStateStore(path.join(blocker, "state.db")).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(StateError);
    expect((error as StateError).message).toMatch(/cannot create state file/);
  });

  it("opens read-only for inspection, and refuses to write through it", async () => {
    const writer = await open();
    await writer.recordOwnership({ ...app, externalId: null, origin: "adopted" });
    const reader = await open({ readonly: true });
    expect((await reader.getOwnership(app))?.origin).toBe("adopted");
    const error = await reader.releaseOwnership(app).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StateError);
    expect((error as StateError).message).toMatch(/read-only/);
  });

  it("refuses to open a missing file read-only instead of creating it", async () => {
    const error = await openSqliteStateStore(file, { readonly: true }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StateError);
    expect((error as StateError).message).toContain("does not exist");
    expect(fs.existsSync(file)).toBe(false);
  });

  it("closes idempotently and refuses use after close", async () => {
    const store = await open();
    await store.close();
    await store.close();
    await expect(store.listOwned()).rejects.toThrow(/closed/);
  });
});

describe("ownership", () => {
  it("records, reads, lists by filter and releases owned objects", async () => {
    const store = await open({ now: () => Date.parse("2030-01-02T03:04:05.000Z") });
    await store.recordOwnership({ ...app, externalId: "42", origin: "created" });
    await store.recordOwnership({
      target: "grafana",
      kind: "datasource",
      key: "prom",
      externalId: null,
      origin: "adopted",
    });
    await store.recordOwnership({
      target: "authentik",
      kind: "group",
      key: "admins",
      externalId: "g1",
      origin: "created",
    });

    expect(await store.getOwnership(app)).toEqual({
      ...app,
      externalId: "42",
      origin: "created",
      since: "2030-01-02T03:04:05.000Z",
    });
    expect((await store.listOwned()).map((o) => `${o.target}/${o.kind}/${o.key}`)).toEqual([
      "authentik/application/grafana",
      "authentik/group/admins",
      "grafana/datasource/prom",
    ]);
    expect((await store.listOwned({ target: "authentik" })).map((o) => o.key)).toEqual(["grafana", "admins"]);
    expect((await store.listOwned({ target: "authentik", kind: "group" })).map((o) => o.key)).toEqual([
      "admins",
    ]);
    expect((await store.listOwned({ kind: "datasource" })).map((o) => o.key)).toEqual(["prom"]);

    await store.releaseOwnership(app);
    expect(await store.getOwnership(app)).toBeUndefined();
  });

  it("updates the external id on a second record but keeps the time ownership began", async () => {
    let now = Date.parse("2030-01-01T00:00:00.000Z");
    const store = await open({ now: () => now });
    await store.recordOwnership({ ...app, externalId: "1", origin: "adopted" });
    now += 60_000;
    await store.recordOwnership({ ...app, externalId: "2", origin: "adopted" });
    const owned = await store.getOwnership(app);
    expect(owned?.externalId).toBe("2");
    expect(owned?.since).toBe("2030-01-01T00:00:00.000Z");
  });

  it("is shared by two stores on the same file", async () => {
    const a = await open();
    const b = await open();
    await a.recordOwnership({ ...app, externalId: null, origin: "created" });
    expect(await b.getOwnership(app)).toMatchObject({ ...app, externalId: null });
  });
});

describe("applied digests", () => {
  it("stores one digest per field, overwrites it, and deletes all digests of an object", async () => {
    let now = Date.parse("2030-01-01T00:00:00.000Z");
    const store = await open({ now: () => now });
    const spec = "a".repeat(64);
    await store.setDigest({ ...app, field: "spec", digest: spec });
    await store.setDigest({ ...app, field: "secret", digest: "b".repeat(64) });
    now += 1000;
    await store.setDigest({ ...app, field: "spec", digest: "c".repeat(64) });

    expect(await store.getDigest(app, "spec")).toEqual({
      ...app,
      field: "spec",
      digest: "c".repeat(64),
      at: "2030-01-01T00:00:01.000Z",
    });
    expect((await store.getDigest(app, "secret"))?.digest).toBe("b".repeat(64));
    expect(await store.getDigest({ ...app, key: "other" }, "spec")).toBeUndefined();

    await store.setDigest({ ...app, key: "other", field: "spec", digest: "d".repeat(64) });
    expect((await store.listDigests(app)).map((d) => d.field)).toEqual(["secret", "spec"]);
    expect((await store.listDigests({ target: app.target })).map((d) => `${d.key}:${d.field}`)).toEqual([
      `${app.key}:secret`,
      `${app.key}:spec`,
      "other:spec",
    ]);
    expect(await store.listDigests({ target: "nowhere" })).toEqual([]);

    await store.deleteDigests(app);
    expect(await store.listDigests(app)).toEqual([]);
    expect(await store.getDigest(app, "spec")).toBeUndefined();
    expect(await store.getDigest(app, "secret")).toBeUndefined();
  });
});

describe("recording an applied change", () => {
  it("creates ownership when missing, keeps an adopted origin, and upserts every digest at once", async () => {
    const store = await open();
    await store.recordApplied({
      ref: app,
      externalId: "7",
      digests: [{ field: "spec", digest: "a".repeat(64) }],
    });
    expect(await store.getOwnership(app)).toMatchObject({ externalId: "7", origin: "created" });
    const adopted = { ...app, key: "wiki" };
    await store.recordOwnership({ ...adopted, externalId: null, origin: "adopted" });
    await store.recordApplied({
      ref: adopted,
      externalId: "9",
      digests: [
        { field: "spec", digest: "b".repeat(64) },
        { field: "write-only:secret", digest: "c".repeat(64) },
      ],
    });
    expect(await store.getOwnership(adopted)).toMatchObject({ externalId: "9", origin: "adopted" });
    expect((await store.listDigests(adopted)).map((d) => d.field)).toEqual(["spec", "write-only:secret"]);
    const shared = { target: "homepage", kind: "config-file", key: "settings.yaml" };
    await store.recordApplied({ ref: shared, digests: [{ field: "spec", digest: "d".repeat(64) }] });
    expect(await store.getOwnership(shared)).toBeUndefined();
    expect(await store.getDigest(shared, "spec")).toBeDefined();
  });
});

describe("locks", () => {
  it("is granted when free, refused to another holder while live, and granted again once expired", async () => {
    let now = 1_000_000;
    const a = await open({ now: () => now });
    const b = await open({ now: () => now });
    expect(await a.acquireLock("reconcile", "daemon-a", 10_000)).toBe(true);
    expect(await b.acquireLock("reconcile", "daemon-b", 10_000)).toBe(false);
    now += 9_999;
    expect(await b.acquireLock("reconcile", "daemon-b", 10_000)).toBe(false);
    now += 1;
    expect(await b.acquireLock("reconcile", "daemon-b", 10_000)).toBe(true);
    expect(await a.acquireLock("reconcile", "daemon-a", 10_000)).toBe(false);
  });

  it("lets the holder renew, which pushes the expiry forward", async () => {
    let now = 0;
    const a = await open({ now: () => now });
    const b = await open({ now: () => now });
    expect(await a.acquireLock("leader", "a", 1000)).toBe(true);
    now = 900;
    expect(await a.acquireLock("leader", "a", 1000)).toBe(true);
    now = 1500; // past the first lease, inside the renewed one
    expect(await b.acquireLock("leader", "b", 1000)).toBe(false);
  });

  it("is released only by its holder", async () => {
    const a = await open();
    const b = await open();
    expect(await a.acquireLock("leader", "a", 60_000)).toBe(true);
    await b.releaseLock("leader", "b");
    expect(await b.acquireLock("leader", "b", 60_000)).toBe(false);
    await a.releaseLock("leader", "a");
    expect(await b.acquireLock("leader", "b", 60_000)).toBe(true);
  });

  it("expires by the real clock with a tiny ttl", async () => {
    const a = await open();
    const b = await open();
    expect(await a.acquireLock("short", "a", 5)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await b.acquireLock("short", "b", 5)).toBe(true);
  });

  it("keeps different lock names independent", async () => {
    const a = await open();
    expect(await a.acquireLock("one", "a", 60_000)).toBe(true);
    expect(await a.acquireLock("two", "b", 60_000)).toBe(true);
  });

  it("rejects a ttl that is not a positive number", async () => {
    const a = await open();
    await expect(a.acquireLock("x", "a", 0)).rejects.toThrow(/positive/);
    await expect(a.acquireLock("x", "a", Number.NaN)).rejects.toThrow(/positive/);
  });
});
