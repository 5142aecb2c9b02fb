import { spawn } from "node:child_process";
import { once } from "node:events";
import { resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type AuthentikSimulator, startAuthentikSimulator } from "../../src/sandbox/authentik/server.ts";
import { runCli } from "../helpers/cli.ts";
import { labDir } from "../helpers/lab-dir.ts";

const repo = resolve(import.meta.dirname, "../..");
const SERVICES = 100;
const KILL_POINTS = 20;

/**
 * Crash safety: `autopilot apply` is SIGKILLed at 20 different points of an apply of 100 OIDC
 * services (200 objects), each time right after the simulator committed the k-th write — so the
 * process dies with a change committed whose answer it never read. A fresh run must then
 * converge with no duplicate object, and the audit chain must verify.
 */
describe("crash: SIGKILL during apply", () => {
  let sim: AuthentikSimulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  const points = Array.from(
    { length: KILL_POINTS },
    (_, i) => 1 + Math.floor((i * SERVICES * 2) / KILL_POINTS) + (i % 3),
  );

  it.each(points)(
    "killed right after write #%i, the next run converges with no duplicates",
    async (killAfter) => {
      sim = await startAuthentikSimulator();
      const current = sim;
      current.server.faults.set({ latencyMs: 5 });
      const lab = labDir({
        targets: { authentik: { url: current.url, token: "${env:AK_TOKEN}", http: { concurrency: 4 } } },
        services: Array.from({ length: SERVICES }, (_, i) => ({
          name: `App ${i}`,
          group: "Apps",
          href: `https://app-${i}.lab.example.com`,
          sso: "oidc",
        })),
      });
      const env = { ...lab.env, AK_TOKEN: current.token };
      await runCli(["secrets", "init"], { cwd: lab.dir, env });

      const child = spawn(process.execPath, [resolve(repo, "bin/autopilot.js"), "apply", "--yes"], {
        cwd: lab.dir,
        env: { ...process.env, ...env, AUTOPILOT_LOG_LEVEL: "silent" },
        stdio: "ignore",
      });
      const exited = once(child, "exit");
      // Watch the simulator's request log and kill the moment the k-th write has been committed.
      const watcher = setInterval(() => {
        if (current.server.log.writes().length >= killAfter) child.kill("SIGKILL");
      }, 1);
      const [code, signal] = await exited;
      clearInterval(watcher);
      expect({ code, signal }).toEqual({ code: null, signal: "SIGKILL" }); // every point is before the last write

      const rerun = await runCli(["apply", "--yes"], { cwd: lab.dir, env });
      expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
      const names = current.state.providers.all().map((provider) => provider.name);
      expect(new Set(names).size).toBe(names.length);
      expect(names).toHaveLength(SERVICES);
      expect(current.state.applications.count()).toBe(SERVICES);
      expect((await runCli(["plan", "--detailed-exitcode"], { cwd: lab.dir, env })).code).toBe(0);
      const verify = await runCli(["audit", "verify"], { cwd: lab.dir, env });
      expect(verify.code, verify.stdout).toBe(0);
    },
    60_000,
  );
});
