import type Docker from "dockerode";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Service } from "../../src/catalog/service.ts";
import type { Alert, AlertChannel } from "../../src/daemon/alerts/alert.ts";
import { Alerter } from "../../src/daemon/alerts/alerter.ts";
import { watchContainerEvents } from "../../src/daemon/healing/docker-events.ts";
import { Healer } from "../../src/daemon/healing/healer.ts";
import { subjectFromLabels } from "../../src/daemon/healing/healing-subject.ts";
import { ServiceHealth } from "../../src/daemon/health/service-health.ts";
import { EventBus } from "../../src/daemon/server/event-bus.ts";
import type { AuditEventInput } from "../../src/observability/audit/audit-event.ts";
import { startSimServer } from "../../src/sandbox/common/sim-server.ts";
import { createTestContainer, removeQuietly, testDocker } from "../helpers/docker.ts";
import { waitFor } from "../helpers/processes.ts";
import { recordingAudit } from "../helpers/recording-audit.ts";

/**
 * Self-healing on the real Docker engine: HEALTHCHECKs really fail, Docker really reports
 * health_status events, the healer really restarts containers.
 */
describe("self-healing on Docker", () => {
  const docker: Docker = testDocker();
  const containers: Docker.Container[] = [];
  let stopWatching: () => void;
  let healer: Healer;
  let alerts: Alert[];
  let audited: AuditEventInput[];
  let recorder: ReturnType<typeof recordingAudit>;

  beforeEach(() => {
    alerts = [];
    recorder = recordingAudit();
    audited = recorder.events;
    const channel: AlertChannel = {
      name: "test",
      type: "test",
      minSeverity: "info",
      send: async (alert) => void alerts.push(alert),
      close: async () => {},
    };
    healer = new Healer({
      docker,
      policy: { maxRestarts: 2, windowMs: 600_000, backoffMs: 100 },
      stopTimeoutSeconds: 1, // busybox `sleep` as PID 1 ignores SIGTERM; don't wait 10 s for it
      subjectOf: (event) =>
        event.labels["test.run"] === runId ? subjectFromLabels(event, false) : undefined,
      call: (work) => work(),
      alerter: new Alerter([channel]),
      audit: recorder,
      events: new EventBus(),
    });
    stopWatching = watchContainerEvents(docker, (event) => void healer.handle(event));
  });
  afterEach(async () => {
    stopWatching();
    await Promise.all(containers.splice(0).map(removeQuietly));
  });

  const runId = `run-${Date.now()}`;
  const start = async (name: string, cmd: string, labels: Record<string, string>) => {
    const container = await createTestContainer(docker, {
      name: `${name}-${Date.now()}`,
      cmd: ["sh", "-c", cmd],
      labels: { "test.run": runId, ...labels },
      healthcheck: { test: "test ! -f /tmp/fail", intervalMs: 300, retries: 1 },
    });
    containers.push(container);
    return { container, name: (await container.inspect()).Name.replace(/^\//, "") };
  };
  const restarts = (name: string) =>
    healer.history().filter((event) => event.container === name && event.action === "restart").length;

  it("restarts a container whose health check fails and sees it healthy again", async () => {
    // Unhealthy on its first run only: the second start clears the failure.
    const { name } = await start(
      "flaky",
      "if [ -f /tmp/ran ]; then rm -f /tmp/fail; else touch /tmp/ran /tmp/fail; fi; exec sleep 3600",
      {
        "autopilot.heal": "true",
      },
    );
    await waitFor(async () => (restarts(name) >= 1 ? true : undefined), "a restart", 30_000);
    await waitFor(
      async () => (healer.healthOf(name) === "healthy" ? true : undefined),
      "the container to be healthy",
      30_000,
    );
    expect(restarts(name)).toBe(1);
    expect(alerts).toEqual([]);
    expect(audited.find((event) => event.action === "heal.restart")).toMatchObject({
      objectKey: `container/${name}`,
      outcome: "success",
    });
  }, 60_000);

  it("stops after the restart budget and raises one critical alert", async () => {
    const { name } = await start("broken", "touch /tmp/fail; exec sleep 3600", {
      "autopilot.heal": "true",
      "homepage.name": "Broken",
    });
    await waitFor(async () => (alerts.length > 0 ? true : undefined), "the budget alert", 45_000);
    expect(restarts(name)).toBe(2);
    expect(alerts[0]).toMatchObject({
      severity: "critical",
      status: "firing",
      title: "Broken keeps failing",
    });
    // It stays unhealthy, Docker keeps reporting it, and nothing more happens.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(restarts(name)).toBe(2);
    expect(alerts).toHaveLength(1);
    expect(
      healer
        .history()
        .filter((event) => event.container === name)
        .map((event) => event.action),
    ).toEqual(["restart", "restart", "gave-up"]);
  }, 60_000);

  it("does not restart dependents while their dependency is down, and heals them once it is back", async () => {
    const db = await start("db", "touch /tmp/fail; exec sleep 3600", { "autopilot.heal": "false" });
    await waitFor(
      async () => (healer.healthOf(db.name) === "unhealthy" ? true : undefined),
      "the database to be unhealthy",
      30_000,
    );
    const app = await start(
      "app",
      "if [ -f /tmp/ran ]; then rm -f /tmp/fail; else touch /tmp/ran /tmp/fail; fi; exec sleep 3600",
      {
        "autopilot.heal": "true",
        "autopilot.depends_on": db.name,
      },
    );
    await waitFor(
      async () => (healer.healthOf(app.name) === "unhealthy" ? true : undefined),
      "the app to be unhealthy",
      30_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(restarts(app.name)).toBe(0);
    expect(restarts(db.name)).toBe(0);
    expect(
      healer
        .history()
        .filter((event) => event.container === app.name)
        .map((event) => event.action),
    ).toEqual(["skipped"]);

    const exec = await db.container.exec({ Cmd: ["sh", "-c", "rm -f /tmp/fail"] });
    await exec.start({ Detach: true });
    await waitFor(
      async () => (restarts(app.name) === 1 ? true : undefined),
      "the app to be restarted after the database recovered",
      30_000,
    );
    await waitFor(
      async () => (healer.healthOf(app.name) === "healthy" ? true : undefined),
      "the app to be healthy",
      30_000,
    );
  }, 90_000);
});

describe("healing on HTTP probe failures (autopilot.health)", () => {
  it("restarts a container whose health URL stops answering, and resolves once it answers again", async () => {
    const docker = testDocker();
    let up = false;
    const app = await startSimServer({
      name: "app",
      handler: () => (up ? { status: 200, text: "ok" } : { status: 503, text: "down" }),
    });
    const container = await createTestContainer(docker, {
      cmd: ["sleep", "3600"],
      labels: { "test.http": "true" },
    });
    const info = await container.inspect();
    const recorder = recordingAudit();
    const healer = new Healer({
      docker,
      policy: { maxRestarts: 3, windowMs: 600_000, backoffMs: 0 },
      subjectOf: (event) => subjectFromLabels(event, false),
      call: (work) => work(),
      stopTimeoutSeconds: 1,
      alerter: new Alerter([]),
      audit: recorder,
      events: new EventBus(),
    });
    const service: Service = {
      name: "App",
      slug: "app",
      group: "Apps",
      sso: "none",
      redirectUris: [],
      dependsOn: [],
      monitor: true,
      alert: false,
      heal: true,
      health: `${app.url}/health`,
      origin: "test",
      container: {
        id: info.Id,
        name: info.Name.replace(/^\//, ""),
        endpoint: "test",
        image: "busybox",
        state: "running",
      },
    };
    const health = new ServiceHealth({
      onProbeChange: (target, state) =>
        void healer.handle({
          id: info.Id,
          name: target.container?.name ?? "",
          action: "health_status",
          health: state,
          labels: { "autopilot.heal": String(target.heal) },
          timeNano: BigInt(Date.now()) * 1_000_000n,
        }),
    });
    try {
      health.update([service]);
      await health.probe();
      await waitFor(
        async () => (healer.history().some((event) => event.action === "restart") ? true : undefined),
        "a restart",
        30_000,
      );
      expect(recorder.events.find((event) => event.action === "heal.restart")).toMatchObject({
        outcome: "success",
      });
      up = true;
      await health.probe();
      expect(health.get("app")).toBe("healthy");
      expect(healer.healthOf(service.container?.name ?? "")).toBe("healthy");
    } finally {
      await health.stop();
      await app.close();
      await removeQuietly(container);
    }
  }, 60_000);
});
