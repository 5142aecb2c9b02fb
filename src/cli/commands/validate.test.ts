import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../test/helpers/cli.ts";

const repo = resolve(import.meta.dirname, "../../..");

describe("autopilot validate", () => {
  it("accepts the example config with every environment", async () => {
    const run = await runCli(["validate", "-c", "examples/homelab.yaml"], { cwd: repo });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("is valid (environments: staging)");
  });

  it("prints one JSON document in JSON mode", async () => {
    const run = await runCli(["validate", "-c", "examples/homelab.yaml", "-o", "json"], { cwd: repo });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, environments: ["staging"], errors: [] });
  });

  it("names file:line:column and the rule of a broken copy, without echoing the password", async () => {
    const run = await runCli(["validate", "-c", "examples/broken/literal-password.yaml"], { cwd: repo });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/literal-password\.yaml:10:17: .*literal-credential/);
    expect(run.stdout + run.stderr).not.toContain("hunter2-but-longer");
  });

  it("fails a copy of the example with one line broken, naming that line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "autopilot-validate-"));
    const lines = readFileSync(join(repo, "examples/homelab.yaml"), "utf8").split("\n");
    const at = lines.findIndex((line) => line.includes("href: https://nas.lab.example.com"));
    lines[at] = lines[at]?.replace("https://nas.lab.example.com", "javascript:alert(1)") ?? "";
    writeFileSync(join(dir, "homelab.yaml"), lines.join("\n"));
    copyFileSync(join(repo, "examples/dashboards/nas.json"), join(dir, "nas.json"));
    const run = await runCli(["validate"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`homelab.yaml:${at + 1}:`);
    expect(run.stdout).toContain("services[1].href");
  });
});
