import { mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withFileLock } from "./file-lock.ts";

describe("file lock", () => {
  let dir: string;
  let lock: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "ap-lock-"));
    lock = path.join(dir, "store.lock");
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("runs one holder at a time", async () => {
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        withFileLock(lock, async () => {
          inside++;
          most = Math.max(most, inside);
          await new Promise((resolve) => setTimeout(resolve, 1));
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
  });

  it("releases the lock when the work fails", async () => {
    await expect(withFileLock(lock, async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await withFileLock(lock, async () => "free")).toBe("free");
  });

  it("takes over a lock left by a crashed process after 30 seconds", async () => {
    await writeFile(lock, "12345:dead");
    const old = new Date(Date.now() - 31_000);
    await utimes(lock, old, old);
    expect(await withFileLock(lock, async () => readFile(lock, "utf8"))).toMatch(/^\d+:[0-9a-f]{16}$/);
  });

  it("gives up with a clear error while a live lock is held", async () => {
    await writeFile(lock, "other:holder");
    await expect(withFileLock(lock, async () => "never", { timeoutMs: 30 })).rejects.toMatchObject({
      message: `timed out waiting for the lock ${lock}`,
      retryable: true,
    });
    expect(await readFile(lock, "utf8")).toBe("other:holder");
  });

  it("leaves a lock that is no longer its own in place", async () => {
    await withFileLock(lock, async () => {
      await writeFile(lock, "someone:else");
    });
    expect(await readFile(lock, "utf8")).toBe("someone:else");
  });

  it("reports a lock it cannot create", async () => {
    await expect(withFileLock(path.join(dir, "missing", "x.lock"), async () => 1)).rejects.toMatchObject({
      code: "ENOENT",
    });
  });
});
