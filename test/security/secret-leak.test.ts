import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SimServer, startSimServer } from "../../src/sandbox/common/sim-server.ts";
import { type GrafanaSimulator, startGrafanaSimulator } from "../../src/sandbox/grafana/server.ts";
import { redactor } from "../../src/secrets/redactor.ts";
import { type CliRun, runCli } from "../helpers/cli.ts";
import { labDir } from "../helpers/lab-dir.ts";

/**
 * Hard rule 2: plant secrets through every way a secret enters (the age store, environment
 * variables, files), run the commands a user runs — including failing ones whose errors quote
 * server answers — at debug log level, then search every byte Autopilot wrote: stdout, stderr,
 * the state/audit database and its WAL, and every file in the lab folder.
 */
describe("no secret value leaves the process", () => {
  const planted = {
    storeToken: "ak-planted-store-token-9f8e7d6c5b4a",
    envToken: "gf-planted-env-token-1a2b3c4d5e6f",
    filePassword: "planted-file-password-0x7f7f7f",
    generated: "", // filled from the store after `secrets set --generate`
  };
  let echo: SimServer;
  let grafana: GrafanaSimulator;
  const runs: CliRun[] = [];

  beforeAll(async () => {
    // A hostile server that quotes the credentials it was sent back in its error body.
    echo = await startSimServer({
      name: "echo",
      handler: (request) => ({
        status: request.path.endsWith("/root/config/") ? 200 : 403,
        body: { detail: `bad credentials: ${request.headers.authorization ?? "none"}` },
      }),
    });
    grafana = await startGrafanaSimulator();
  });
  afterAll(async () => {
    await Promise.all([echo.close(), grafana.close()]);
    redactor.clear();
  });

  it("holds for validate, secrets, doctor and audit, in text and JSON, at debug level", async () => {
    const { dir, env: baseEnv } = labDir({
      targets: {
        authentik: { url: echo.url, token: "${secret:authentik_token}" },
        grafana: {
          url: grafana.url,
          token: "${env:GF_TOKEN}",
          basicAuth: { username: "admin", password: "${file:./grafana-admin.txt}" },
        },
      },
    });
    writeFileSync(join(dir, "grafana-admin.txt"), `${planted.filePassword}\n`, { mode: 0o600 });
    const env = { ...baseEnv, GF_TOKEN: planted.envToken, AUTOPILOT_LOG_LEVEL: "debug" };
    const cli = async (args: string[], input?: string) => {
      const run = await runCli(args, { cwd: dir, env, ...(input === undefined ? {} : { input }) });
      runs.push(run);
      return run;
    };

    await cli(["secrets", "init"]);
    await cli(["secrets", "set", "authentik_token"], planted.storeToken);
    await cli(["secrets", "set", "generated_one", "--generate"]);
    planted.generated = (
      await runCli(["secrets", "get", "generated_one", "--reveal"], { cwd: dir, env })
    ).stdout.trim();
    expect(planted.generated).toMatch(/^[A-Za-z0-9]{48}$/);

    for (const output of ["text", "json"]) {
      await cli(["-o", output, "validate"]);
      await cli(["-o", output, "secrets", "list"]);
      await cli(["-o", output, "doctor"]);
      await cli(["-o", output, "audit", "tail", "-n", "100"]);
      await cli(["-o", output, "audit", "verify"]);
      await cli(["-o", output, "secrets", "get", "authentik_token"]);
    }
    // The doctor run failed on the echoing server, so errors were exercised.
    expect(runs.some((run) => run.stdout.includes("bad credentials: Bearer [redacted]"))).toBe(true);

    const values = Object.values(planted);
    for (const run of runs) {
      for (const value of values) {
        expect(run.stdout, "stdout").not.toContain(value);
        expect(run.stderr, "stderr").not.toContain(value);
      }
    }
    for (const file of filesUnder(dir)) {
      if (file.endsWith("grafana-admin.txt")) continue; // the user's own secret file
      const bytes = readFileSync(file).toString("latin1");
      for (const value of values) expect(bytes, file).not.toContain(value);
    }
  });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
