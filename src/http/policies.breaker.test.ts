import { setTimeout as wait } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { registry } from "../observability/metrics.ts";
import { type SimHandler, type SimServer, startSimServer } from "../sandbox/common/sim-server.ts";
import { createHttpClient } from "./client.ts";
import { AuthFailedError, CircuitOpenError, UnavailableError } from "./errors.ts";
import type { BreakerState, HttpClient } from "./types.ts";

/** The circuit breaker through a real client: which calls reach the server, and the states it goes through. */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function harness(
  target: string,
  handler: SimHandler = () => ({ status: 200, body: {} }),
): Promise<{ sim: SimServer; client: HttpClient; states: BreakerState[] }> {
  const sim = await startSimServer({ name: target, handler });
  const client = createHttpClient(
    {
      target,
      baseUrl: sim.url,
      resilience: {
        retry: { maxAttempts: 1, initialDelayMs: 0, maxDelayMs: 0 },
        breaker: { consecutiveFailures: 3, halfOpenAfterMs: 100 },
      },
    },
    { sleep: async () => {} },
  );
  const states: BreakerState[] = [];
  client.onBreakerChange((state) => states.push(state));
  cleanups.push(async () => {
    await client.close();
    await sim.close();
  });
  return { sim, client, states };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable("the call should have failed"),
    (error: unknown) => error,
  );
}

async function breakerGauge(target: string): Promise<number | undefined> {
  const metric = await registry.getSingleMetric("autopilot_circuit_breaker_state")?.get();
  return metric?.values.find((value) => value.labels.target === target)?.value;
}

describe("circuit breaker", () => {
  it("opens after N consecutive failures; the next call fails fast without reaching the server", async () => {
    const { sim, client, states } = await harness("breaker-open");
    sim.faults.set({ errorRate: 1 });
    for (let i = 0; i < 3; i++) {
      expect(await rejection(client.request({ method: "GET", path: "/" }))).toBeInstanceOf(UnavailableError);
    }
    expect(client.breakerState()).toBe("open");
    expect(states).toEqual(["open"]);
    expect(await breakerGauge("breaker-open")).toBe(2);

    const started = performance.now();
    const error = await rejection(client.request({ method: "GET", path: "/" }));
    expect(performance.now() - started).toBeLessThan(50);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect((error as CircuitOpenError).kind).toBe("circuit-open");
    expect((error as CircuitOpenError).outcome).toBe("not-sent");
    expect((error as CircuitOpenError).message).toContain("503");
    expect((error as CircuitOpenError).cause).toBeInstanceOf(UnavailableError);
    expect(sim.log.all()).toHaveLength(3);
  });

  it("half-opens after the interval: one probe, and its success closes the breaker", async () => {
    const { sim, client, states } = await harness("breaker-recovers");
    sim.faults.set({ errorRate: 1 });
    for (let i = 0; i < 3; i++) await rejection(client.request({ method: "GET", path: "/" }));
    sim.faults.set({});
    await wait(150);
    const responses = await Promise.allSettled([
      client.request({ method: "GET", path: "/" }),
      client.request({ method: "GET", path: "/" }),
    ]);
    expect(responses.map((response) => response.status)).toEqual(["fulfilled", "fulfilled"]);
    expect(states).toEqual(["open", "half-open", "closed"]);
    expect(client.breakerState()).toBe("closed");
    expect(await breakerGauge("breaker-recovers")).toBe(0);
  });

  it("re-opens when the single half-open probe fails, failing the calls that waited for it", async () => {
    const { sim, client, states } = await harness("breaker-reopens");
    sim.faults.set({ errorRate: 1 });
    for (let i = 0; i < 3; i++) await rejection(client.request({ method: "GET", path: "/" }));
    await wait(150);
    const [probe, waiter] = await Promise.all([
      rejection(client.request({ method: "GET", path: "/" })),
      rejection(client.request({ method: "GET", path: "/" })),
    ]);
    expect(probe).toBeInstanceOf(UnavailableError);
    expect(waiter).toBeInstanceOf(CircuitOpenError);
    expect(states).toEqual(["open", "half-open", "open"]);
    expect(await rejection(client.request({ method: "GET", path: "/" }))).toBeInstanceOf(CircuitOpenError);
    expect(sim.log.all()).toHaveLength(4);
  });

  it("is not opened by 403s, which are answers, not failures; nor are they retried", async () => {
    const { sim, client } = await harness("breaker-auth", () => ({
      status: 403,
      body: { detail: "Token invalid/expired" },
    }));
    for (let i = 0; i < 5; i++) {
      const error = await rejection(client.request({ method: "GET", path: "/" }));
      expect(error).toBeInstanceOf(AuthFailedError);
      expect((error as AuthFailedError).hint).toBe(
        "check the token for breaker-auth; it may be expired or lack permission",
      );
      expect((error as AuthFailedError).message).toContain("Token invalid/expired");
    }
    expect(client.breakerState()).toBe("closed");
    expect(sim.log.all()).toHaveLength(5);
  });

  it("is not opened by 429 throttling either", async () => {
    const { sim, client } = await harness("breaker-throttle");
    sim.faults.set({ throttleRate: 1 });
    for (let i = 0; i < 4; i++) await rejection(client.request({ method: "GET", path: "/" }));
    expect(client.breakerState()).toBe("closed");
  });

  it("stops notifying a listener once it unsubscribes", async () => {
    const { sim, client } = await harness("breaker-unsubscribe");
    const seen: BreakerState[] = [];
    const unsubscribe = client.onBreakerChange((state) => seen.push(state));
    unsubscribe();
    sim.faults.set({ errorRate: 1 });
    for (let i = 0; i < 3; i++) await rejection(client.request({ method: "GET", path: "/" }));
    expect(client.breakerState()).toBe("open");
    expect(seen).toEqual([]);
  });
});
