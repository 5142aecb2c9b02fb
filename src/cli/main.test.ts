import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../test/helpers/cli.ts";
import { VERSION } from "./program.ts";

const cwd = mkdtempSync(join(tmpdir(), "autopilot-cli-"));

describe("autopilot command line", () => {
  it("prints its version", async () => {
    const run = await runCli(["--version"], { cwd });
    expect(run).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });

  it("shows help on stdout for --help and exits 0", async () => {
    const run = await runCli(["--help"], { cwd });
    expect(run.code).toBe(0);
    for (const command of ["validate", "doctor", "secrets", "audit"]) expect(run.stdout).toContain(command);
  });

  it("shows help and exits 1 without a command", async () => {
    const run = await runCli([], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Usage: autopilot");
  });

  it("refuses an unknown command with help and exit 1", async () => {
    const run = await runCli(["aply"], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("unknown command 'aply'");
    expect(run.stderr).toContain("Usage:");
  });

  it("refuses an unknown flag with exit 1", async () => {
    const run = await runCli(["validate", "--fast"], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("unknown option '--fast'");
  });

  it("refuses an unknown output format", async () => {
    const run = await runCli(["-o", "yaml", "validate"], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Allowed choices are text, json");
  });

  it("reports a missing config file clearly, as JSON when asked", async () => {
    const text = await runCli(["validate", "-c", "nope.yaml"], { cwd });
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/nope\.yaml/);
    const json = await runCli(["-o", "json", "doctor", "-c", "nope.yaml"], { cwd });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { kind: "config" } });
  });
});
