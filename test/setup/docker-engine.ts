import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import type { TestProject } from "vitest/node";

/**
 * Global setup: every test run gets a reachable Docker engine, never a skipped suite.
 * Uses DOCKER_HOST when it answers (CI starts one in .ci/run); otherwise starts, or reuses, a
 * private engine in a fixed temp folder with .ci/dockerd.sh when this machine can (root +
 * dockerd installed), and leaves it running for the next local run; otherwise fails with what
 * to do. The engine-backed tests are part of the product's proof, so there is no
 * silent skip: a missing engine is a failed run.
 */
declare module "vitest" {
  export interface ProvidedContext {
    dockerHost: string;
    dockerImage: string;
  }
}

const IMAGE = process.env.AUTOPILOT_TEST_IMAGE ?? "autopilot/busybox:test";
const script = join(import.meta.dirname, "../../.ci/dockerd.sh");

export default async function setup(project: TestProject): Promise<void> {
  let host = process.env.DOCKER_HOST;
  if (!host || !(await reachable(host))) {
    if (process.getuid?.() !== 0 || !which("dockerd")) {
      throw new Error(
        `no Docker engine reachable${host ? ` at ${host}` : " (DOCKER_HOST is unset)"}, and this user cannot start one. ` +
          "Run the tests through `bash .ci/run`, or start an engine with `.ci/dockerd.sh start DIR` and export the DOCKER_HOST it prints.",
      );
    }
    const dir = join(tmpdir(), "autopilot-test-docker");
    const out = execFileSync("bash", [script, "start", dir], { encoding: "utf8" }).trim();
    host = out.replace(/^DOCKER_HOST=/, "");
  }
  await ensureImage(host);
  process.env.DOCKER_HOST = host;
  project.provide("dockerHost", host);
  project.provide("dockerImage", IMAGE);
}

function dockerFor(host: string): Docker {
  return new Docker({ socketPath: host.replace(/^unix:\/\//, "") });
}

async function reachable(host: string): Promise<boolean> {
  try {
    await dockerFor(host).ping();
    return true;
  } catch {
    return false;
  }
}

async function ensureImage(host: string): Promise<void> {
  // An engine started outside our script may lack the test image: import it the same way.
  execFileSync("bash", [script, "image"], {
    env: { ...process.env, DOCKER_HOST: host, AUTOPILOT_TEST_IMAGE: IMAGE },
    stdio: "ignore",
  });
}

function which(command: string): boolean {
  return ["/usr/sbin", "/usr/bin", "/usr/local/bin", "/sbin", "/bin"].some((dir) =>
    existsSync(join(dir, command)),
  );
}
