import Docker from "dockerode";
import { Alerter } from "../src/daemon/alerts/alerter.ts";
import { watchContainerEvents } from "../src/daemon/healing/docker-events.ts";
import { Healer } from "../src/daemon/healing/healer.ts";
import { EventBus } from "../src/daemon/server/event-bus.ts";
import type { Benchmark } from "./suites.ts";

const ROUNDS = 8;
const IMAGE = process.env.AUTOPILOT_TEST_IMAGE ?? "autopilot/busybox:test";

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * Self-healing on the real Docker engine (DOCKER_HOST, or the tests' private engine): a
 * container's HEALTHCHECK is made to fail, Docker emits `health_status: unhealthy`, the healer
 * restarts it. Measured: from Docker's event timestamp to the restart call (detection), and
 * from that event to Docker reporting the container healthy again (recovery).
 */
export const healingBench: Benchmark = {
  name: "healing",
  description: `${ROUNDS} unhealthy → restart → healthy rounds on the real Docker engine (health check every 200 ms, no backoff)`,
  async run() {
    const socket = (process.env.DOCKER_HOST ?? "unix:///tmp/autopilot-test-docker/docker.sock").replace(
      /^unix:\/\//,
      "",
    );
    const docker = new Docker({ socketPath: socket });
    await docker.ping();
    const unhealthyAt = new Map<string, number>();
    const detection: number[] = [];
    const recovery: number[] = [];
    let waiting: ((name: string) => void) | undefined;
    const healer = new Healer({
      docker,
      policy: { maxRestarts: ROUNDS + 1, windowMs: 3_600_000, backoffMs: 0 },
      subjectOf: (event) => {
        if (event.labels["bench.healing"] !== "true") return undefined;
        unhealthyAt.set(event.name, Number(event.timeNano / 1_000_000n));
        return { service: event.name, heal: true, dependsOn: [] };
      },
      call: async (work) => {
        for (const [, at] of unhealthyAt) detection.push(Date.now() - at);
        return work();
      },
      stopTimeoutSeconds: 2,
      alerter: new Alerter([]),
      audit: {
        append: async (event) => ({
          ...event,
          seq: 0,
          at: "",
          correlationId: null,
          actionId: null,
          prevHash: "",
          hash: "",
        }),
      },
      events: new EventBus(),
    });
    const stop = watchContainerEvents(docker, (event) => {
      void healer.handle(event);
      if (event.health === "healthy" && event.labels["bench.healing"] === "true") {
        const since = unhealthyAt.get(event.name);
        if (since !== undefined) {
          recovery.push(Number(event.timeNano / 1_000_000n) - since);
          unhealthyAt.delete(event.name);
        }
        waiting?.(event.name);
      }
    });
    const container = await docker.createContainer({
      name: `bench-healing-${Date.now()}`,
      Image: IMAGE,
      // Clears the failure on every start, and stops promptly on SIGTERM.
      Cmd: ["sh", "-c", "trap 'exit 0' TERM; rm -f /tmp/fail; while true; do sleep 0.2; done"],
      Labels: { "bench.healing": "true" },
      HostConfig: { NetworkMode: "host" },
      Healthcheck: {
        Test: ["CMD-SHELL", "test ! -f /tmp/fail"],
        Interval: 200_000_000,
        Timeout: 1_000_000_000,
        Retries: 1,
      },
    });
    const healthy = () => new Promise<void>((resolve) => (waiting = () => resolve()));
    try {
      const first = healthy();
      await container.start();
      await first;
      for (let round = 0; round < ROUNDS; round++) {
        const back = healthy();
        const exec = await container.exec({ Cmd: ["sh", "-c", "touch /tmp/fail"] });
        await exec.start({ Detach: true });
        await back;
      }
    } finally {
      stop();
      await container.remove({ force: true });
    }
    detection.sort((a, b) => a - b);
    recovery.sort((a, b) => a - b);
    return {
      rounds: String(recovery.length),
      "detection: event → restart call, p50 (ms)": String(percentile(detection, 50)),
      "detection: event → restart call, max (ms)": String(detection.at(-1) ?? 0),
      "recovery: unhealthy event → healthy event, p50 (ms)": String(percentile(recovery, 50)),
      "recovery: unhealthy event → healthy event, max (ms)": String(recovery.at(-1) ?? 0),
    };
  },
};
