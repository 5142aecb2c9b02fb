import { randomBytes } from "node:crypto";
import Docker from "dockerode";
import { inject } from "vitest";

/** The private test engine that test/setup/docker-engine.ts made sure of. */
export function testDocker(): Docker {
  return new Docker({ socketPath: inject("dockerHost").replace(/^unix:\/\//, "") });
}

export function testImage(): string {
  return inject("dockerImage");
}

export interface TestContainerSpec {
  name?: string;
  labels?: Record<string, string>;
  cmd?: string[];
  /** Shell command run by Docker's HEALTHCHECK; healthy when it exits 0. */
  healthcheck?: { test: string; intervalMs?: number; retries?: number };
  start?: boolean;
}

/** Creates (and starts) a busybox container on the host network; remember to remove it. */
export async function createTestContainer(
  docker: Docker,
  spec: TestContainerSpec,
): Promise<Docker.Container> {
  const container = await docker.createContainer({
    name: spec.name ?? `ap-test-${randomBytes(4).toString("hex")}`,
    Image: testImage(),
    Cmd: spec.cmd ?? ["sleep", "3600"],
    Labels: spec.labels ?? {},
    HostConfig: { NetworkMode: "host" },
    ...(spec.healthcheck
      ? {
          Healthcheck: {
            Test: ["CMD-SHELL", spec.healthcheck.test],
            Interval: (spec.healthcheck.intervalMs ?? 500) * 1_000_000,
            Timeout: 2_000_000_000,
            Retries: spec.healthcheck.retries ?? 1,
          },
        }
      : {}),
  });
  if (spec.start !== false) await container.start();
  return container;
}

export async function removeQuietly(container: Docker.Container | undefined): Promise<void> {
  if (!container) return;
  await container.remove({ force: true }).catch(() => undefined);
}
