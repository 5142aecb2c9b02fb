import { afterEach, describe, expect, it } from "vitest";
import { createTestContainer, removeQuietly, testDocker, testImage } from "../helpers/docker.ts";

// The real Docker engine the discovery, healing and demo suites rely on. test/setup makes sure
// an engine is reachable (or fails the run): this suite never skips.
describe("Docker engine smoke test", () => {
  const docker = testDocker();
  let container: Awaited<ReturnType<typeof createTestContainer>> | undefined;
  afterEach(async () => {
    await removeQuietly(container);
    container = undefined;
  });

  it("answers ping and has the imported busybox image", async () => {
    expect(String(await docker.ping())).toBe("OK");
    const image = await docker.getImage(testImage()).inspect();
    expect(image.RepoTags).toContain(testImage());
  });

  it("creates a labelled container, inspects it, sees it healthy, and removes it", async () => {
    container = await createTestContainer(docker, {
      labels: { "homepage.group": "Media", "homepage.name": "Smoke", "autopilot.heal": "true" },
      healthcheck: { test: "true", intervalMs: 300 },
    });
    const info = await container.inspect();
    expect(info.Config.Labels).toMatchObject({ "homepage.group": "Media", "homepage.name": "Smoke" });
    expect(info.State.Running).toBe(true);
    expect(info.HostConfig.NetworkMode).toBe("host");

    let health = info.State.Health?.Status;
    for (let i = 0; i < 50 && health !== "healthy"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      health = (await container.inspect()).State.Health?.Status;
    }
    expect(health).toBe("healthy");

    const listed = await docker.listContainers({ all: true, filters: { label: ["homepage.name=Smoke"] } });
    expect(listed.map((c) => c.Id)).toContain(info.Id);

    await container.remove({ force: true });
    const after = await docker.listContainers({ all: true, filters: { id: [info.Id] } });
    expect(after).toEqual([]);
    container = undefined;
  });
});
