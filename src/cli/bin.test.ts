import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const repo = resolve(import.meta.dirname, "../..");

/** Runs the real entry point to completion (spawnSync collects both streams). */
function runBin(
  args: string[],
  env: NodeJS.ProcessEnv,
): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [join(repo, "bin/autopilot.js"), ...args], {
    cwd: repo,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Every file under `dir`, at any depth. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe("bin/autopilot.js", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("keeps compiled modules in a compile cache, and the next start uses them", async () => {
    const cache = mkdtempSync(join(tmpdir(), "autopilot-compile-"));
    dirs.push(cache);
    const first = runBin(["--version"], { NODE_COMPILE_CACHE: cache });
    expect(first.code).toBe(0);
    const entries = filesUnder(cache);
    // One entry per module the CLI loaded, TypeScript ones included.
    expect(entries.length).toBeGreaterThan(20);
    // Node's own account of the cache (its debug channel) shows the second start reusing it.
    const second = runBin(["--version"], {
      NODE_COMPILE_CACHE: cache,
      NODE_DEBUG_NATIVE: "COMPILE_CACHE",
    });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toMatch(
      /retrieving transpile cache for StrippedTypeScript \S+\/src\/cli\/main\.ts\.\.\.success/,
    );
    expect(second.stderr).not.toContain("no transpile cache");
    expect(filesUnder(cache).sort()).toEqual(entries.sort());
  });

  it("writes no cache when NODE_DISABLE_COMPILE_CACHE is set", async () => {
    const cache = mkdtempSync(join(tmpdir(), "autopilot-compile-"));
    dirs.push(cache);
    const run = runBin(["--version"], { NODE_COMPILE_CACHE: cache, NODE_DISABLE_COMPILE_CACHE: "1" });
    expect(run.code).toBe(0);
    expect(filesUnder(cache)).toEqual([]);
  });
});
