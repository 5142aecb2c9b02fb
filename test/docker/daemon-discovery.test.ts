import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type Docker from "dockerode";
import { afterEach, describe, expect, inject, it } from "vitest";
import { type RunningDaemon, startDaemon } from "../../src/daemon/daemon.ts";
import { redactor } from "../../src/secrets/redactor.ts";
import { runCli } from "../helpers/cli.ts";
import { quietContext } from "../helpers/command-context.ts";
import { createTestContainer, removeQuietly, testDocker } from "../helpers/docker.ts";
import { labDir } from "../helpers/lab-dir.ts";
import { freePort, waitFor } from "../helpers/processes.ts";

/** The daemon follows Docker: a labelled container that starts joins Homepage, and leaves when removed. */
describe("daemon and Docker discovery", () => {
  const docker: Docker = testDocker();
  let daemon: RunningDaemon | undefined;
  let container: Docker.Container | undefined;
  afterEach(async () => {
    await daemon?.stop();
    await removeQuietly(container);
    redactor.clear();
  });

  it("adds a new container's tile on its start event and removes it after the container is gone", async () => {
    const run = randomBytes(3).toString("hex");
    const port = await freePort();
    const lab = labDir({
      targets: { homepage: { configDir: "./homepage" }, docker: { endpoints: [inject("dockerHost")] } },
      daemon: { listen: `127.0.0.1:${port}`, token: "${env:DAEMON_TOKEN}", reconcileInterval: "1h" },
    });
    mkdirSync(join(lab.dir, "homepage"));
    const env = { ...lab.env, DAEMON_TOKEN: "daemon-discovery-token-0123" };
    await runCli(["secrets", "init"], { cwd: lab.dir, env });
    daemon = await startDaemon(quietContext(lab.dir, env));
    const servicesYaml = () => readFileSync(join(lab.dir, "homepage", "services.yaml"), "utf8");
    await waitFor(
      async () => (servicesYaml().length > 0 ? true : undefined),
      "the first pass to write services.yaml",
    );

    container = await createTestContainer(docker, {
      name: `ap-daemon-${run}`,
      labels: {
        "homepage.group": `Daemon ${run}`,
        "homepage.name": `Tile ${run}`,
        "homepage.href": "https://tile.lab.example.com",
      },
    });
    await waitFor(
      async () => (servicesYaml().includes(`Tile ${run}`) ? true : undefined),
      "the new tile",
      30_000,
    );

    await container.remove({ force: true });
    container = undefined;
    await waitFor(
      async () => (servicesYaml().includes(`Tile ${run}`) ? undefined : true),
      "the tile to go away",
      30_000,
    );
    expect(servicesYaml()).not.toContain(`Daemon ${run}`);
  }, 90_000);
});
