import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../../test/helpers/cli.ts";
import { labDir } from "../../../test/helpers/lab-dir.ts";
import { redactor } from "../../secrets/redactor.ts";

describe("autopilot secrets", () => {
  afterEach(() => redactor.clear());

  function lab() {
    return labDir({ targets: { grafana: { url: "https://g.lab", token: "${secret:grafana_token}" } } });
  }

  it("init creates the identity with mode 0600 and an encrypted store, and never overwrites", async () => {
    const { dir, env } = lab();
    const first = await runCli(["secrets", "init"], { cwd: dir, env });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("(created, mode 0600)");
    const identity = env.AUTOPILOT_AGE_IDENTITY as string;
    expect(statSync(identity).mode & 0o777).toBe(0o600);
    const key = readFileSync(identity, "utf8");
    const again = await runCli(["secrets", "init", "-o", "json"], { cwd: dir, env });
    expect(JSON.parse(again.stdout)).toMatchObject({ created: false, storeCreated: false });
    expect(readFileSync(identity, "utf8")).toBe(key);
  });

  it("set reads the value from stdin, stores it encrypted, and audits the write", async () => {
    const { dir, env } = lab();
    await runCli(["secrets", "init"], { cwd: dir, env });
    const set = await runCli(["secrets", "set", "grafana_token"], {
      cwd: dir,
      env,
      input: "glsa_supersecretvalue_123\n",
    });
    expect(set.code).toBe(0);
    expect(set.stdout + set.stderr).not.toContain("glsa_supersecretvalue_123");
    expect(readFileSync(join(dir, "secrets.age"), "utf8")).not.toContain("supersecret");
    const get = await runCli(["secrets", "get", "grafana_token", "--reveal"], { cwd: dir, env });
    expect(get).toMatchObject({ code: 0, stdout: "glsa_supersecretvalue_123\n" });
    const tail = await runCli(["audit", "tail", "-o", "json"], { cwd: dir, env });
    const actions = JSON.parse(tail.stdout).entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(["secret.init", "secret.write", "secret.reveal"]);
    expect(tail.stdout).not.toContain("supersecret");
  });

  it("never takes a value from the command line", async () => {
    const { dir, env } = lab();
    await runCli(["secrets", "init"], { cwd: dir, env });
    const run = await runCli(["secrets", "set", "grafana_token", "hunter22-value"], { cwd: dir, env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("too many arguments");
  });

  it("get refuses without --reveal", async () => {
    const { dir, env } = lab();
    await runCli(["secrets", "init"], { cwd: dir, env });
    await runCli(["secrets", "set", "grafana_token"], { cwd: dir, env, input: "value-12345" });
    const run = await runCli(["secrets", "get", "grafana_token"], { cwd: dir, env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("refusing to print grafana_token without --reveal");
    expect(run.stdout).toBe("");
  });

  it("list shows names, never values, and the references the config lacks", async () => {
    const { dir, env } = lab();
    await runCli(["secrets", "init"], { cwd: dir, env });
    await runCli(["secrets", "set", "other", "--generate"], { cwd: dir, env });
    const text = await runCli(["secrets", "list"], { cwd: dir, env });
    expect(text.stdout).toContain("other");
    expect(text.stdout).toContain("missing (referenced by the config): grafana_token");
    const json = JSON.parse((await runCli(["secrets", "list", "-o", "json"], { cwd: dir, env })).stdout);
    expect(json.secrets.map((s: { name: string }) => s.name)).toEqual(["other"]);
    expect(json.missing).toEqual(["grafana_token"]);
  });

  it("rotate replaces a value with a new random one", async () => {
    const { dir, env } = lab();
    await runCli(["secrets", "init"], { cwd: dir, env });
    await runCli(["secrets", "set", "client_secret", "--generate", "32"], { cwd: dir, env });
    const before = (await runCli(["secrets", "get", "client_secret", "--reveal"], { cwd: dir, env })).stdout;
    expect(before.trim()).toMatch(/^[A-Za-z0-9]{32}$/);
    expect((await runCli(["secrets", "rotate", "client_secret"], { cwd: dir, env })).code).toBe(0);
    const after = (await runCli(["secrets", "get", "client_secret", "--reveal"], { cwd: dir, env })).stdout;
    expect(after).not.toBe(before);
    expect((await runCli(["secrets", "rotate", "absent"], { cwd: dir, env })).code).toBe(1);
  });

  it("refuses a bad name, a too-short value and an unreadable identity, with clear messages", async () => {
    const { dir, env } = lab();
    await runCli(["secrets", "init"], { cwd: dir, env });
    expect((await runCli(["secrets", "set", "bad name"], { cwd: dir, env, input: "x" })).stderr).toContain(
      "must be 1-128",
    );
    expect((await runCli(["secrets", "set", "short"], { cwd: dir, env, input: "abc" })).stderr).toContain(
      "shorter than 4",
    );
    const missing = await runCli(["secrets", "list"], {
      cwd: dir,
      env: { AUTOPILOT_AGE_IDENTITY: join(dir, "nope.txt") },
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("secrets init");
  });
});
