import { mkdir, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isAtomicTempFile, writeFileAtomic } from "./atomic-file.ts";

describe("atomic file write", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "ap-atomic-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("replaces the file with mode 0600 and leaves no temp file", async () => {
    const file = path.join(dir, "store");
    await writeFileAtomic(file, "one");
    await writeFileAtomic(file, "two");
    expect(await readFile(file, "utf8")).toBe("two");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(["store"]);
  });

  it("removes its temp file when the rename fails", async () => {
    const target = path.join(dir, "is-a-dir");
    await mkdir(path.join(target, "child"), { recursive: true });
    await expect(writeFileAtomic(target, "x")).rejects.toThrow();
    expect(await readdir(dir)).toEqual(["is-a-dir"]);
  });

  it("recognises its own temp files", () => {
    expect(isAtomicTempFile(".secrets.age.0123456789ab.tmp")).toBe(true);
    expect(isAtomicTempFile("secrets.age")).toBe(false);
  });
});
