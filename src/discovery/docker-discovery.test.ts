import type Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { AutopilotError } from "../errors/autopilot-error.ts";
import { UnavailableError } from "../http/errors.ts";
import { createResiliencePipeline } from "../http/policies.ts";
import { listContainers } from "./docker-discovery.ts";
import { dockerError } from "./docker-errors.ts";

const pipeline = () =>
  createResiliencePipeline("docker-test", { retry: { maxAttempts: 2, initialDelayMs: 0, maxDelayMs: 0 } });
const fake = (listContainers: () => Promise<unknown>) => async () =>
  ({ listContainers }) as unknown as Docker;
const context = { target: "docker", method: "GET", route: "/containers/json", requestId: "r1" };

describe("listing containers", () => {
  it("reads names, images, states and health, and keeps going when another endpoint fails", async () => {
    let calls = 0;
    const listing = await listContainers(
      { endpoints: ["unix:///good.sock", "unix:///bad.sock"], resolvePath: (p) => p },
      {
        pipeline: pipeline(),
        client: async (endpoint) =>
          endpoint.includes("good")
            ? await fake(async () => [
                {
                  Id: "a1",
                  Names: ["/web"],
                  Image: "nginx",
                  State: "running",
                  Status: "Up 1 minute (healthy)",
                  Labels: { x: "y" },
                },
                {
                  Id: "b2b2b2b2b2b2b2",
                  Names: [],
                  Image: "busybox",
                  State: "running",
                  Status: "Up (health: starting)",
                  Labels: null,
                },
                { Id: "c3", Names: ["/old"], Image: "busybox", State: "exited", Status: "Exited (0)" },
              ])()
            : await fake(async () => {
                calls += 1;
                throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
              })(),
      },
    );
    expect(listing.containers).toEqual([
      {
        id: "a1",
        name: "web",
        endpoint: "unix:///good.sock",
        image: "nginx",
        state: "running",
        health: "healthy",
        labels: { x: "y" },
      },
      {
        id: "b2b2b2b2b2b2b2",
        name: "b2b2b2b2b2b2",
        endpoint: "unix:///good.sock",
        image: "busybox",
        state: "running",
        health: "starting",
        labels: {},
      },
      { id: "c3", name: "old", endpoint: "unix:///good.sock", image: "busybox", state: "exited", labels: {} },
    ]);
    expect(listing.failures).toHaveLength(1);
    expect(listing.failures[0]?.endpoint).toBe("unix:///bad.sock");
    expect(listing.failures[0]?.error).toBeInstanceOf(UnavailableError);
    expect(calls).toBe(2); // refused is retried
  });

  it("reports an endpoint whose client cannot even be built", async () => {
    const listing = await listContainers(
      { endpoints: ["tcp://x:2376"], resolvePath: (p) => p },
      { pipeline: pipeline(), client: async () => Promise.reject(new Error("ENOENT: ca.pem")) },
    );
    expect(listing.failures[0]?.error.message).toContain("ca.pem");
  });

  it("turns dockerode failures into typed errors the pipeline understands", () => {
    const permission = dockerError(Object.assign(new Error("x"), { code: "EACCES" }), context, "unix:///s");
    expect(permission).toBeInstanceOf(AutopilotError);
    expect((permission as AutopilotError).kind).toBe("auth");
    const refused = dockerError(
      Object.assign(new Error("x"), { code: "ENOENT" }),
      context,
      "unix:///s",
    ) as UnavailableError;
    expect([refused.outcome, refused.failure]).toEqual(["not-sent", "refused"]);
    const dns = dockerError(
      Object.assign(new Error("x"), { code: "ENOTFOUND" }),
      context,
      "tcp://h",
    ) as UnavailableError;
    expect(dns.failure).toBe("dns");
    const reset = dockerError(
      Object.assign(new Error("x"), { code: "ECONNRESET" }),
      context,
      "tcp://h",
    ) as UnavailableError;
    expect([reset.outcome, reset.failure]).toEqual(["unknown", "reset"]);
    const server = dockerError(
      Object.assign(new Error("x"), { statusCode: 500 }),
      context,
      "tcp://h",
    ) as UnavailableError;
    expect([server.outcome, server.status]).toEqual(["unknown", 500]);
    const other = dockerError(new Error("odd"), context, "tcp://h") as AutopilotError;
    expect([other.kind, other.message]).toEqual(["unavailable", "Docker at tcp://h: odd"]);
    const already = new AutopilotError("config", "x");
    expect(dockerError(already, context, "e")).toBe(already);
  });
});
