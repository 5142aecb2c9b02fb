import { afterEach, describe, expect, it } from "vitest";
import { type SimHandler, type SimServer, startSimServer } from "../sandbox/common/sim-server.ts";
import { backoffCap } from "./backoff.ts";
import { createHttpClient } from "./client.ts";
import { InvalidError, isUnknownOutcome, UnavailableError } from "./errors.ts";
import type { ResilienceOverrides } from "./resilience-options.ts";
import type { HttpClient } from "./types.ts";

/** Retries through a real client against a simulator: how many requests arrive, and the waits between them. */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

interface Harness {
  sim: SimServer;
  client: HttpClient;
  /** Every wait the pipeline asked for, in order. */
  sleeps: number[];
}

async function harness(
  resilience: ResilienceOverrides = {},
  options: { random?: () => number; handler?: SimHandler; now?: () => number } = {},
): Promise<Harness> {
  const sim = await startSimServer({
    name: "sim",
    handler: options.handler ?? (() => ({ status: 200, body: { ok: true } })),
    errorResponse: (status) => ({ status, body: { message: "try later" }, headers: { "retry-after": "3" } }),
  });
  const sleeps: number[] = [];
  const client = createHttpClient(
    { target: "sim", baseUrl: sim.url, resilience },
    {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: options.random ?? (() => 0.5),
      ...(options.now ? { now: options.now } : {}),
    },
  );
  cleanups.push(async () => {
    await client.close();
    await sim.close();
  });
  return { sim, client, sleeps };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable("the call should have failed"),
    (error: unknown) => error,
  );
}

const retry = { maxAttempts: 4, initialDelayMs: 100, maxDelayMs: 1000 };

describe("retry", () => {
  it("retries a GET on 503 up to maxAttempts, then throws UnavailableError with the attempt count", async () => {
    const { sim, client } = await harness({ retry });
    sim.faults.set({ errorRate: 1 });
    const error = await rejection(client.request({ method: "GET", path: "/api/things/" }));
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).status).toBe(503);
    expect((error as UnavailableError).attempts).toBe(4);
    expect((error as UnavailableError).message).toContain("after 4 attempts");
    expect(sim.log.all()).toHaveLength(4);
  });

  it("succeeds when a retry does, and reports how many attempts it took", async () => {
    let calls = 0;
    const { client } = await harness(
      { retry },
      { handler: () => (++calls < 3 ? { status: 500, body: {} } : { status: 200, body: { calls } }) },
    );
    const response = await client.request({ method: "GET", path: "/" });
    expect(response.body).toEqual({ calls: 3 });
    expect(response.attempts).toBe(3);
  });

  it("waits a full-jitter delay within [0, cap] before each retry, the cap doubling up to maxDelay", async () => {
    const draws = [0.999, 0.25, 0.999, 0, 0.999, 0.999, 0.5];
    let next = 0;
    const options = { maxAttempts: 8, initialDelayMs: 100, maxDelayMs: 1000 };
    const { sim, client, sleeps } = await harness(
      { retry: options, breaker: { consecutiveFailures: 100 } },
      { random: () => draws[next++ % draws.length] ?? 0 },
    );
    sim.faults.set({ errorRate: 1, errorStatus: 500 });
    await rejection(client.request({ method: "GET", path: "/" }));
    const caps = sleeps.map((_, retryIndex) => backoffCap(retryIndex, options));
    expect(caps).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
    sleeps.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(caps[i] ?? -1);
    });
    expect(sleeps).toEqual([99, 50, 399, 0, 999, 999, 500]);
  });

  it("waits what Retry-After says on 429 instead of its own backoff", async () => {
    const { sim, client, sleeps } = await harness({ retry });
    sim.faults.set({ throttleRate: 1, retryAfterSeconds: 2 });
    const error = await rejection(client.request({ method: "GET", path: "/" }));
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).outcome).toBe("rejected");
    expect((error as UnavailableError).status).toBe(429);
    expect(sleeps).toEqual([2000, 2000, 2000]);
  });

  it("waits what Retry-After says on 503, as an HTTP date too", async () => {
    const now = Date.parse("2026-03-01T12:00:00Z");
    let calls = 0;
    const { client, sleeps } = await harness(
      { retry },
      {
        now: () => now,
        handler: () =>
          ++calls === 1
            ? { status: 503, body: {}, headers: { "retry-after": "Sun, 01 Mar 2026 12:00:04 GMT" } }
            : { status: 200, body: {} },
      },
    );
    await client.request({ method: "GET", path: "/" });
    expect(sleeps).toEqual([4000]);
  });

  it("never waits longer than 60 s, whatever Retry-After asks", async () => {
    const { sim, client, sleeps } = await harness({ retry: { ...retry, maxAttempts: 2 } });
    sim.faults.set({ throttleRate: 1, retryAfterSeconds: 3600 });
    await rejection(client.request({ method: "GET", path: "/" }));
    expect(sleeps).toEqual([60_000]);
  });

  it("uses the 503 Retry-After the simulator's error response carries", async () => {
    const { sim, client, sleeps } = await harness({ retry: { ...retry, maxAttempts: 2 } });
    sim.faults.set({ errorRate: 1 });
    await rejection(client.request({ method: "GET", path: "/" }));
    expect(sleeps).toEqual([3000]);
  });
});

describe("non-idempotent writes", () => {
  it("sends a POST that got a 503 exactly once and reports an unknown outcome", async () => {
    const { sim, client } = await harness({ retry });
    sim.faults.set({ errorRate: 1 });
    const error = await rejection(
      client.request({ method: "POST", path: "/api/things/", body: { name: "a" } }),
    );
    expect(isUnknownOutcome(error)).toBe(true);
    expect((error as UnavailableError).hint).toContain("read the object back");
    expect(sim.log.writes()).toHaveLength(1);
  });

  it("sends a POST whose response was lost exactly once and reports an unknown outcome", async () => {
    const { sim, client } = await harness({ retry });
    sim.faults.set({ lostResponseRate: 1 });
    const error = await rejection(
      client.request({ method: "POST", path: "/api/things/", body: { name: "a" } }),
    );
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).failure).toBe("reset");
    expect(isUnknownOutcome(error)).toBe(true);
    expect(sim.log.writes()).toEqual([expect.objectContaining({ method: "POST", fault: "lose-response" })]);
  });

  it("does not retry a PATCH on a reset either", async () => {
    const { sim, client } = await harness({ retry });
    sim.faults.set({ resetRate: 1 });
    const error = await rejection(client.request({ method: "PATCH", path: "/api/things/1/", body: {} }));
    expect(isUnknownOutcome(error)).toBe(true);
    expect(sim.log.writes()).toHaveLength(1);
  });

  it("retries a POST the caller marked safeToRetry", async () => {
    const { sim, client } = await harness({ retry });
    sim.faults.set({ errorRate: 1 });
    await rejection(client.request({ method: "POST", path: "/", body: {}, safeToRetry: true }));
    expect(sim.log.writes()).toHaveLength(4);
  });

  it("retries a POST refused with 429: the server did not process it", async () => {
    const { sim, client } = await harness({ retry });
    sim.faults.set({ throttleRate: 1 });
    await rejection(client.request({ method: "POST", path: "/", body: {} }));
    expect(sim.log.writes()).toHaveLength(4);
  });

  it("retries a POST to a refused port: it was never sent", async () => {
    const closed = await startSimServer({ name: "gone", handler: () => ({ status: 200 }) });
    const url = closed.url;
    await closed.close();
    const sleeps: number[] = [];
    const client = createHttpClient(
      { target: "gone", baseUrl: url, resilience: { retry: { ...retry, maxAttempts: 3 } } },
      { sleep: async (ms) => void sleeps.push(ms) },
    );
    cleanups.push(() => client.close());
    const error = await rejection(client.request({ method: "POST", path: "/", body: {} }));
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).outcome).toBe("not-sent");
    expect((error as UnavailableError).failure).toBe("refused");
    expect((error as UnavailableError).hint).toContain("running and listening");
    expect((error as UnavailableError).attempts).toBe(3);
    expect(sleeps).toHaveLength(2);
  });
});

describe("client errors", () => {
  it("does not retry a 4xx", async () => {
    const { client, sim } = await harness(
      { retry },
      { handler: () => ({ status: 422, body: { name: ["bad"] } }) },
    );
    const error = await rejection(client.request({ method: "PUT", path: "/x", body: {} }));
    expect(error).toBeInstanceOf(InvalidError);
    expect((error as InvalidError).attempts).toBe(1);
    expect(sim.log.all()).toHaveLength(1);
  });
});
