import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Decrypter } from "age-encryption";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { initAgeStore, openAgeStore } from "./age-store.ts";
import { MASK, redactor } from "./redactor.ts";

const run = promisify(execFile);

describe("age secret store", () => {
  let dir: string;
  let storePath: string;
  let identityPath: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "ap-age-"));
    storePath = path.join(dir, "secrets.age");
    identityPath = path.join(dir, "keys", "identity.txt");
  });
  afterEach(async () => {
    redactor.clear();
    await rm(dir, { recursive: true, force: true });
  });

  it("creates an identity readable only by its owner, in a private directory", async () => {
    const result = await initAgeStore({ storePath, identityPath });
    expect(result.created).toBe(true);
    expect(result.storeCreated).toBe(true);
    expect(result.recipient).toMatch(/^age1/);
    expect((await stat(identityPath)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(identityPath))).mode & 0o777).toBe(0o700);
    expect((await stat(storePath)).mode & 0o777).toBe(0o600);
    expect(await readdir(path.dirname(identityPath))).toEqual(["identity.txt"]);
    expect(await readFile(identityPath, "utf8")).toMatch(
      /^# created: .*\n# public key: age1\S+\nAGE-SECRET-KEY-1\S+\n$/,
    );
  });

  it("never overwrites an existing identity: a second init reuses it and keeps the secrets", async () => {
    const first = await initAgeStore({ storePath, identityPath });
    const key = await readFile(identityPath, "utf8");
    await (await openAgeStore({ storePath, identityPath })).set("kept", "value-kept");
    const second = await initAgeStore({ storePath, identityPath });
    expect(second).toEqual({ recipient: first.recipient, created: false, storeCreated: false });
    expect(await readFile(identityPath, "utf8")).toBe(key);
    expect(await (await openAgeStore({ storePath, identityPath })).get("kept")).toBe("value-kept");
  });

  it("refuses to create a new identity for a store that already exists", async () => {
    await initAgeStore({ storePath, identityPath });
    await rm(identityPath);
    await expect(initAgeStore({ storePath, identityPath })).rejects.toMatchObject({
      message: `the secret store ${storePath} exists but its identity ${identityPath} does not`,
      hint: expect.stringContaining("restore the identity"),
    });
    expect(await readdir(path.dirname(identityPath))).toEqual([]);
  });

  it("sets, gets, lists and deletes secrets", async () => {
    await initAgeStore({ storePath, identityPath });
    let now = new Date("2025-01-02T03:04:05.000Z");
    const store = await openAgeStore({ storePath, identityPath, now: () => now });
    expect(store.kind).toBe("age");
    expect(store.location).toBe(storePath);
    expect(await store.get("grafana_token")).toBeUndefined();
    await store.set("grafana_token", "glsa_abcdef");
    now = new Date("2025-02-03T00:00:00.000Z");
    await store.set("authentik.token", "ak-123456");
    expect(await store.get("grafana_token")).toBe("glsa_abcdef");
    expect(await store.list()).toEqual([
      { name: "authentik.token", updatedAt: "2025-02-03T00:00:00.000Z" },
      { name: "grafana_token", updatedAt: "2025-01-02T03:04:05.000Z" },
    ]);
    expect(await store.delete("grafana_token")).toBe(true);
    expect(await store.delete("grafana_token")).toBe(false);
    expect((await store.list()).map((entry) => entry.name)).toEqual(["authentik.token"]);
  });

  it("stores many secrets in one write, and sees another instance's writes on the next read", async () => {
    await initAgeStore({ storePath, identityPath });
    const store = await openAgeStore({ storePath, identityPath });
    const other = await openAgeStore({ storePath, identityPath });
    const before = (await stat(storePath)).mtimeMs;
    await store.setMany([
      ["one_secret", "value-one-1"],
      ["two_secret", "value-two-2"],
    ]);
    expect(await store.get("two_secret")).toBe("value-two-2");
    expect(await other.get("one_secret")).toBe("value-one-1");
    await other.set("one_secret", "changed-value-1");
    expect(await store.get("one_secret")).toBe("changed-value-1");
    await store.setMany([]);
    expect((await stat(storePath)).mtimeMs).toBeGreaterThanOrEqual(before);
    expect((await store.list()).map((entry) => entry.name)).toEqual(["one_secret", "two_secret"]);
  });

  it("decrypts once for many reads started together", async () => {
    await initAgeStore({ storePath, identityPath });
    const store = await openAgeStore({ storePath, identityPath });
    await store.setMany(Array.from({ length: 20 }, (_, i) => [`s${i}`, `value-${i}-xxxx`] as const));
    const fresh = await openAgeStore({ storePath, identityPath });
    const decrypt = vi.spyOn(Decrypter.prototype, "decrypt");
    const values = await Promise.all(Array.from({ length: 20 }, (_, i) => fresh.get(`s${i}`)));
    expect(values[7]).toBe("value-7-xxxx");
    expect(decrypt).toHaveBeenCalledTimes(1);
    decrypt.mockRestore();
  });

  it("reads many secrets with one read, leaving out the absent ones and refusing bad names", async () => {
    await initAgeStore({ storePath, identityPath });
    const store = await openAgeStore({ storePath, identityPath });
    await store.setMany([
      ["one_secret", "value-one-1"],
      ["two_secret", "value-two-2"],
    ]);
    const found = await store.getMany(["two_secret", "missing_secret", "one_secret"]);
    expect([...found]).toEqual([
      ["two_secret", "value-two-2"],
      ["one_secret", "value-one-1"],
    ]);
    await expect(store.getMany(["bad name"])).rejects.toThrow(/name/);
  });

  it("keeps values out of the file and registers them with the redactor", async () => {
    await initAgeStore({ storePath, identityPath });
    const store = await openAgeStore({ storePath, identityPath });
    await store.set("db_password", "correct-horse-battery");
    const content = await readFile(storePath, "utf8");
    expect(content).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----/);
    expect(content).not.toContain("correct-horse-battery");
    expect(content).not.toContain(Buffer.from("correct-horse-battery").toString("base64").slice(0, 12));
    redactor.clear();
    expect(await (await openAgeStore({ storePath, identityPath })).get("db_password")).toBe(
      "correct-horse-battery",
    );
    expect(redactor.redact("pw=correct-horse-battery")).toBe(`pw=${MASK}`);
  });

  it("refuses values that are empty, too short to mask, or too large, and bad names", async () => {
    await initAgeStore({ storePath, identityPath });
    const store = await openAgeStore({ storePath, identityPath });
    await expect(store.set("a", "")).rejects.toThrow(/cannot be empty/);
    await expect(store.set("a", "abc")).rejects.toThrow(/shorter than 4 characters/);
    await expect(store.set("a", "x".repeat(64 * 1024 + 1))).rejects.toThrow(/larger than 64 KiB/);
    await expect(store.set("../etc", "abcd")).rejects.toThrow(/secret name "..\/etc"/);
    await expect(store.get("bad name")).rejects.toMatchObject({ kind: "invalid" });
    await store.set("a", "x".repeat(64 * 1024));
    expect((await store.get("a"))?.length).toBe(64 * 1024);
  });

  it("says how to create the identity when it is missing", async () => {
    await expect(openAgeStore({ storePath, identityPath })).rejects.toMatchObject({
      kind: "secret",
      message: expect.stringContaining(identityPath),
      hint: expect.stringContaining("autopilot secrets init"),
    });
  });

  it("refuses an identity that other users can read", async () => {
    await initAgeStore({ storePath, identityPath });
    await chmod(identityPath, 0o644);
    await expect(openAgeStore({ storePath, identityPath })).rejects.toMatchObject({
      message: expect.stringMatching(/accessible to other users \(mode 0644\)/),
      hint: expect.stringContaining("chmod 600"),
    });
  });

  it("refuses a malformed identity without quoting it", async () => {
    await initAgeStore({ storePath, identityPath });
    await writeFile(identityPath, "# comment\nAGE-SECRET-KEY-1NOTAKEY\n", { mode: 0o600 });
    await expect(openAgeStore({ storePath, identityPath })).rejects.toThrow(/identity .* is malformed/);
    await writeFile(identityPath, "hello\n", { mode: 0o600 });
    const error = await openAgeStore({ storePath, identityPath }).catch((caught: unknown) => caught);
    expect(String(error)).toMatch(/malformed/);
    expect(String(error)).not.toContain("hello");
  });

  it("reports an identity it cannot read", async () => {
    await initAgeStore({ storePath, identityPath });
    const directory = path.join(dir, "identity-dir");
    await mkdir(directory, { mode: 0o700 });
    await expect(openAgeStore({ storePath, identityPath: directory })).rejects.toThrow(
      `the age identity ${directory} cannot be read (EISDIR)`,
    );
    const underFile = path.join(identityPath, "nested.txt");
    await expect(openAgeStore({ storePath, identityPath: underFile })).rejects.toThrow(
      /cannot be read \(ENOTDIR\)/,
    );
  });

  it("says so when the store was encrypted to another identity", async () => {
    await initAgeStore({ storePath, identityPath });
    await (await openAgeStore({ storePath, identityPath })).set("x_token", "value-1234");
    const otherIdentity = path.join(dir, "other.txt");
    await initAgeStore({ storePath: path.join(dir, "other.age"), identityPath: otherIdentity });
    const store = await openAgeStore({ storePath, identityPath: otherIdentity });
    await expect(store.get("x_token")).rejects.toThrow(/encrypted to another key/);
    await expect(initAgeStore({ storePath, identityPath: otherIdentity })).rejects.toThrow(
      /cannot be decrypted with the identity/,
    );
  });

  it("reports a corrupted store, whether the armor, the ciphertext or the content is broken", async () => {
    await initAgeStore({ storePath, identityPath });
    const store = await openAgeStore({ storePath, identityPath });
    await writeFile(storePath, "garbage");
    await expect(store.get("x")).rejects.toThrow(`the secret store ${storePath} is corrupted`);

    const { Encrypter, armor } = await import("age-encryption");
    const encrypter = new Encrypter();
    encrypter.addRecipient(store.recipient);
    await writeFile(storePath, armor.encode(await encrypter.encrypt("not json")));
    await expect(store.list()).rejects.toThrow(/corrupted/);
    await writeFile(storePath, armor.encode(await encrypter.encrypt('{"version":2,"secrets":{}}')));
    await expect(store.set("x", "abcd")).rejects.toThrow(/corrupted/);

    const valid = armor.decode(armor.encode(await encrypter.encrypt('{"version":1,"secrets":{}}')));
    valid[valid.length - 5] = (valid[valid.length - 5] ?? 0) ^ 0xff;
    await writeFile(storePath, armor.encode(valid));
    await expect(store.get("x")).rejects.toThrow(/corrupted/);
  });

  it("says how to create a missing store, and reports one it cannot read", async () => {
    await initAgeStore({ storePath, identityPath });
    const store = await openAgeStore({ storePath, identityPath });
    await rm(storePath);
    await expect(store.get("x")).rejects.toMatchObject({
      message: `the secret store ${storePath} does not exist`,
      hint: expect.stringContaining("autopilot secrets init"),
    });
    await writeFile(storePath, "x");
    await chmod(storePath, 0o000);
    const error = await store.get("x").catch((caught: unknown) => caught);
    expect(String(error)).toMatch(/cannot be read \(EACCES\)|corrupted/);
  });

  it("loses no write when two store instances set 50 secrets each at the same time", async () => {
    await initAgeStore({ storePath, identityPath });
    const a = await openAgeStore({ storePath, identityPath });
    const b = await openAgeStore({ storePath, identityPath });
    await Promise.all([
      ...Array.from({ length: 50 }, (_, i) => a.set(`a_${i}`, `value-a-${i}`)),
      ...Array.from({ length: 50 }, (_, i) => b.set(`b_${i}`, `value-b-${i}`)),
    ]);
    const names = (await a.list()).map((entry) => entry.name);
    expect(names).toHaveLength(100);
    expect(await b.get("a_49")).toBe("value-a-49");
    expect(await a.get("b_0")).toBe("value-b-0");
    // atomic writes leave no temp files and the lock is released
    expect((await readdir(dir)).sort()).toEqual(["keys", "secrets.age"]);
  });

  it("loses no write when another process writes at the same time", async () => {
    await initAgeStore({ storePath, identityPath });
    const moduleUrl = new URL("./age-store.ts", import.meta.url).href;
    const script = `
      const { openAgeStore } = await import(${JSON.stringify(moduleUrl)});
      const store = await openAgeStore({ storePath: process.argv[1], identityPath: process.argv[2] });
      await Promise.all(Array.from({ length: 30 }, (_, i) => store.set("child_" + i, "child-value-" + i)));
    `;
    const store = await openAgeStore({ storePath, identityPath });
    await Promise.all([
      run(process.execPath, ["--input-type=module", "-e", script, storePath, identityPath]),
      ...Array.from({ length: 30 }, (_, i) => store.set(`parent_${i}`, `parent-value-${i}`)),
    ]);
    expect(await store.list()).toHaveLength(60);
  });
});
