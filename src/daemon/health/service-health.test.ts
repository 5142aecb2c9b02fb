import { afterEach, describe, expect, it } from "vitest";
import type { Service } from "../../catalog/service.ts";
import { registry } from "../../observability/metrics.ts";
import { type SimServer, startSimServer } from "../../sandbox/common/sim-server.ts";
import { ServiceHealth } from "./service-health.ts";

const service = (slug: string, extra: Partial<Service>): Service => ({
  name: slug,
  slug,
  group: "Apps",
  sso: "none",
  redirectUris: [],
  dependsOn: [],
  monitor: true,
  alert: false,
  origin: "test",
  ...extra,
});

async function upValue(slug: string): Promise<number | undefined> {
  const metric = registry.getSingleMetric("autopilot_service_up");
  return (await metric?.get())?.values.find((value) => value.labels.service === slug)?.value;
}

describe("service health", () => {
  let server: SimServer | undefined;
  const health = new ServiceHealth();
  afterEach(async () => {
    await health.stop();
    await server?.close();
  });

  it("probes health URLs: a 2xx is healthy, an error or no answer is not, and monitored services publish service_up", async () => {
    let ok = true;
    server = await startSimServer({
      name: "app",
      handler: () => (ok ? { status: 200, text: "ok" } : { status: 503, text: "down" }),
    });
    health.update([
      service("wiki", { health: `${server.url}/healthz` }),
      service("gone", { health: "http://127.0.0.1:9/healthz" }),
    ]);
    await health.probe();
    expect(health.get("wiki")).toBe("healthy");
    expect(health.get("gone")).toBe("unhealthy");
    expect(await upValue("wiki")).toBe(1);
    expect(await upValue("gone")).toBe(0);
    ok = false;
    await health.probe();
    expect(health.get("wiki")).toBe("unhealthy");
    expect(await upValue("wiki")).toBe(0);
  });

  it("follows Docker's health events for services in containers", () => {
    const container = {
      id: "c1",
      name: "sonarr",
      endpoint: "unix:///x",
      image: "sonarr",
      state: "running",
      health: "healthy",
    };
    health.update([service("sonarr", { container })]);
    expect(health.get("sonarr")).toBe("healthy");
    health.containerEvent({
      id: "c1",
      name: "sonarr",
      action: "health_status",
      health: "unhealthy",
      labels: {},
      timeNano: 0n,
    });
    expect(health.get("sonarr")).toBe("unhealthy");
    health.containerEvent({ id: "c1", name: "sonarr", action: "start", labels: {}, timeNano: 0n });
    expect(health.get("sonarr")).toBe("starting");
    health.containerEvent({ id: "zz", name: "other", action: "die", labels: {}, timeNano: 0n });
    expect(health.get("unknown-service")).toBe("unknown");
  });
});
