import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as wait } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { type SimHandler, startSimServer } from "../sandbox/common/sim-server.ts";
import { createHttpClient } from "./client.ts";
import { isUnknownOutcome, UnavailableError } from "./errors.ts";
import type { PipelineDeps } from "./policies.ts";
import type { ResilienceOverrides } from "./resilience-options.ts";

/** Bulkhead, rate limit and timeout through a real client against a simulator. */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function harness(resilience: ResilienceOverrides, handler: SimHandler, deps: PipelineDeps = {}) {
  const sim = await startSimServer({ name: "sim", handler });
  const client = createHttpClient(
    { target: "sim", baseUrl: sim.url, resilience },
    { sleep: async () => {}, ...deps },
  );
  cleanups.push(async () => {
    await client.close();
    await sim.close();
  });
  return { sim, client };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable("the call should have failed"),
    (error: unknown) => error,
  );
}

describe("bulkhead", () => {
  it("never has more calls in flight than the target's concurrency", async () => {
    let inFlight = 0;
    let highest = 0;
    const { client } = await harness({ concurrency: 3 }, async () => {
      inFlight += 1;
      highest = Math.max(highest, inFlight);
      await wait(20);
      inFlight -= 1;
      return { status: 200, body: {} };
    });
    await Promise.all(Array.from({ length: 12 }, () => client.request({ method: "GET", path: "/" })));
    expect(highest).toBe(3);
  });

  it("refuses calls beyond the queue as not sent", async () => {
    const { client, sim } = await harness(
      { concurrency: 1, queue: 1, retry: { maxAttempts: 1 } },
      async () => {
        await wait(50);
        return { status: 200, body: {} };
      },
    );
    const results = await Promise.allSettled(
      Array.from({ length: 3 }, () => client.request({ method: "POST", path: "/" })),
    );
    const rejected = results.filter((result) => result.status === "rejected");
    expect(rejected).toHaveLength(1);
    const error = (rejected[0] as PromiseRejectedResult).reason as UnavailableError;
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.failure).toBe("bulkhead-full");
    expect(error.outcome).toBe("not-sent");
    expect(sim.log.all()).toHaveLength(2);
    expect(client.breakerState()).toBe("closed");
  });
});

describe("rate limit", () => {
  it("spaces requests beyond the burst at the configured rate (injected clock)", async () => {
    let now = 1_000_000;
    const sentAt: number[] = [];
    const sim = await startSimServer({ name: "rate", handler: () => ({ status: 200, body: {} }) });
    const client = createHttpClient(
      {
        target: "rate",
        baseUrl: sim.url,
        resilience: { rateLimit: { perSecond: 4, burst: 2 } },
        // The target's headers are read as each attempt is sent: the moment to record.
        headers: () => {
          sentAt.push(now);
          return {};
        },
      },
      {
        now: () => now,
        sleep: async (ms) => {
          now += ms;
        },
      },
    );
    cleanups.push(async () => {
      await client.close();
      await sim.close();
    });
    for (let i = 0; i < 6; i++) await client.request({ method: "GET", path: "/" });
    expect(sentAt.map((at) => at - 1_000_000)).toEqual([0, 0, 250, 500, 750, 1000]);
  });
});

describe("timeout", () => {
  it("aborts a slow response after timeoutMs and reports an unknown outcome", async () => {
    const { sim, client } = await harness({ timeoutMs: 100, retry: { maxAttempts: 1 } }, () => ({
      status: 200,
      body: {},
    }));
    sim.faults.set({ latencyMs: 2000 });
    const started = performance.now();
    const error = await rejection(client.request({ method: "POST", path: "/slow", body: {} }));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).failure).toBe("timeout");
    expect((error as UnavailableError).message).toContain("timeout after 100 ms");
    expect(isUnknownOutcome(error)).toBe(true);
  });

  it("aborts the request on the wire, so the server sees the client go away", async () => {
    let closedByClient: Promise<void> | undefined;
    const server = createServer((_request, response) => {
      // Never answers: only the client's abort can end this exchange.
      closedByClient = new Promise((resolve) => response.on("close", () => resolve()));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const client = createHttpClient(
      {
        target: "hanging",
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        resilience: { timeoutMs: 100, retry: { maxAttempts: 1 } },
      },
      { sleep: async () => {} },
    );
    cleanups.push(async () => {
      await client.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const error = await rejection(client.request({ method: "GET", path: "/" }));
    expect((error as UnavailableError).failure).toBe("timeout");
    await expect(
      Promise.race([closedByClient, wait(2000).then(() => "still open")]),
    ).resolves.toBeUndefined();
  });

  it("takes a per-request timeout over the target's, and retries a timed-out GET", async () => {
    const { sim, client } = await harness({ timeoutMs: 10_000, retry: { maxAttempts: 2 } }, () => ({
      status: 200,
      body: {},
    }));
    sim.faults.set({ latencyMs: 2000 });
    const error = await rejection(client.request({ method: "GET", path: "/slow", timeoutMs: 50 }));
    expect((error as UnavailableError).failure).toBe("timeout");
    expect((error as UnavailableError).attempts).toBe(2);
    expect((error as UnavailableError).hint).toContain("raise resilience.timeoutMs");
  });
});

describe("caller abort", () => {
  it("stops at once with the caller's reason, without retrying or counting a failure", async () => {
    const { sim, client } = await harness({ breaker: { consecutiveFailures: 1 } }, () => ({
      status: 200,
      body: {},
    }));
    sim.faults.set({ latencyMs: 2000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("user pressed ctrl-c")), 50);
    const error = await rejection(client.request({ method: "GET", path: "/", signal: controller.signal }));
    expect((error as Error).message).toBe("user pressed ctrl-c");
    expect(sim.log.all().length).toBeLessThanOrEqual(1);
    expect(client.breakerState()).toBe("closed");
  });

  it("does not start a call whose signal is already aborted", async () => {
    const { sim, client } = await harness({}, () => ({ status: 200, body: {} }));
    const error = await rejection(
      client.request({ method: "GET", path: "/", signal: AbortSignal.abort(new Error("never mind")) }),
    );
    expect((error as Error).message).toBe("never mind");
    expect(sim.log.all()).toHaveLength(0);
  });
});
