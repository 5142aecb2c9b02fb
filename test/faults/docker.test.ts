import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parse } from "yaml";
import { redactor } from "../../src/secrets/redactor.ts";
import { runCli } from "../helpers/cli.ts";
import { createTestContainer, removeQuietly, testDocker } from "../helpers/docker.ts";
import { type DockerFaultProxy, startDockerFaultProxy } from "../helpers/docker-fault-proxy.ts";
import { labDir } from "../helpers/lab-dir.ts";

/**
 * Faults in Docker (through a fault-injecting proxy in front of the real engine): discovery and
 * the Homepage render must converge with each labelled container exactly once, and an engine
 * that does not answer must never make Autopilot delete the tiles of containers it cannot see.
 */
describe("faults in Docker", () => {
  const docker: Docker = testDocker();
  const run = randomBytes(3).toString("hex");
  const group = `Faults ${run}`;
  const containers: Docker.Container[] = [];
  let proxy: DockerFaultProxy;

  beforeAll(async () => {
    proxy = await startDockerFaultProxy(inject("dockerHost"));
    for (let i = 0; i < 4; i++) {
      containers.push(
        await createTestContainer(docker, {
          name: `ap-fault-${run}-${i}`,
          labels: {
            "homepage.group": group,
            "homepage.name": `Tile ${i}`,
            "homepage.href": `https://tile-${i}.lab.example.com`,
          },
        }),
      );
    }
  });
  afterAll(async () => {
    await Promise.all(containers.map(removeQuietly));
    await proxy.close();
    redactor.clear();
  });

  function lab() {
    const setup = labDir({
      targets: { homepage: { configDir: "./homepage" }, docker: { endpoints: [proxy.endpoint] } },
    });
    mkdirSync(join(setup.dir, "homepage"));
    return setup;
  }
  const tiles = (dir: string) => {
    const parsed = (parse(readFileSync(join(dir, "homepage", "services.yaml"), "utf8")) ?? []) as Record<
      string,
      Record<string, unknown>[]
    >[];
    return parsed.flatMap((entry) => entry[group] ?? []).map((tile) => Object.keys(tile)[0]);
  };

  it.each([
    ["5xx", { errorRate: 0.3, errorStatus: 500 }],
    ["connection reset", { resetRate: 0.3 }],
    ["latency", { latencyMs: 150 }],
    ["response lost", { lostResponseRate: 0.3 }],
  ])(
    "converges under %s with every container's tile exactly once",
    async (_name, faults) => {
      const { dir, env } = lab();
      proxy.faults.set(faults);
      let code = -1;
      for (let attempt = 0; attempt < 10 && code !== 0; attempt++)
        code = (await runCli(["apply", "--yes"], { cwd: dir, env })).code;
      proxy.faults.set({});
      expect(code).toBe(0);
      expect(tiles(dir).sort()).toEqual(["Tile 0", "Tile 1", "Tile 2", "Tile 3"]);
      expect((await runCli(["plan", "--detailed-exitcode"], { cwd: dir, env })).code).toBe(0);
    },
    120_000,
  );

  it("while the engine is down, plans nothing and deletes no tile; then converges", async () => {
    const { dir, env } = lab();
    expect((await runCli(["apply", "--yes"], { cwd: dir, env })).code).toBe(0);
    proxy.faults.set({ down: true });
    const down = await runCli(["apply", "--yes"], { cwd: dir, env });
    expect(down.code).toBe(3);
    expect(down.stdout + down.stderr).toContain("container discovery is incomplete");
    expect(tiles(dir).sort()).toEqual(["Tile 0", "Tile 1", "Tile 2", "Tile 3"]);
    proxy.faults.set({});
    expect((await runCli(["apply", "--yes"], { cwd: dir, env })).code).toBe(0);
    expect(tiles(dir)).toHaveLength(4);
  }, 120_000);
});
