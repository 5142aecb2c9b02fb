import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../test/helpers/cli.ts";
import { labDir } from "../../../test/helpers/lab-dir.ts";

describe("autopilot audit", () => {
  it("verifies an intact chain, then exits 1 naming the entry someone edited", async () => {
    const { dir, env } = labDir({});
    await runCli(["secrets", "init"], { cwd: dir, env });
    await runCli(["secrets", "set", "a_secret", "--generate"], { cwd: dir, env });
    const intact = await runCli(["audit", "verify"], { cwd: dir, env });
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain("audit chain intact: 2 entries");

    const db = new DatabaseSync(join(dir, ".autopilot/state.db"));
    db.exec("DROP TRIGGER IF EXISTS audit_no_update");
    for (const row of db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'")
      .all()) {
      db.exec(`DROP TRIGGER "${String(row.name)}"`);
    }
    db.prepare("UPDATE audit SET action = 'secret.read' WHERE seq = 2").run();
    db.close();

    const broken = await runCli(["audit", "verify", "-o", "json"], { cwd: dir, env });
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({ ok: false, problems: [{ seq: 2, kind: "edited" }] });
  });

  it("tails the newest entries and checks its count", async () => {
    const { dir, env } = labDir({});
    expect((await runCli(["audit", "tail"], { cwd: dir, env })).stdout).toContain("the audit log is empty");
    await runCli(["secrets", "init"], { cwd: dir, env });
    const tail = await runCli(["audit", "tail", "-n", "1"], { cwd: dir, env });
    expect(tail.stdout).toMatch(/#1 .* cli:secrets\.init secret\.init secrets\/store\//);
    expect((await runCli(["audit", "tail", "-n", "0"], { cwd: dir, env })).code).toBe(1);
  });

  it("reads another state file with --state", async () => {
    const { dir, env } = labDir({});
    const run = await runCli(["audit", "verify", "--state", "elsewhere/state.db"], { cwd: dir, env });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("0 entries");
  });
});
