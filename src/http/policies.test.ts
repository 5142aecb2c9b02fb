import { describe, expect, it } from "vitest";
import { AutopilotError } from "../errors/autopilot-error.ts";
import { AuthFailedError, CircuitOpenError, UnavailableError } from "./errors.ts";
import {
  type AttemptReport,
  countsAgainstBreaker,
  createResiliencePipeline,
  shouldRetry,
} from "./policies.ts";
import { DEFAULT_RESILIENCE } from "./resilience-options.ts";

/** The pipeline on its own, as non-HTTP clients (Docker) use it. */
const context = { target: "docker", method: "restart", route: "/containers/{id}/restart", requestId: "r-1" };
const unavailable = (outcome: "not-sent" | "unknown" | "rejected", status?: number) =>
  new UnavailableError("down", { ...context, outcome, ...(status ? { status } : {}) });

function pipeline(overrides = {}) {
  const sleeps: number[] = [];
  const instance = createResiliencePipeline("docker", overrides, {
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
  });
  return { instance, sleeps };
}

describe("createResiliencePipeline", () => {
  it("uses the documented defaults", () => {
    expect(pipeline().instance.options).toEqual(DEFAULT_RESILIENCE);
    expect(DEFAULT_RESILIENCE).toEqual({
      timeoutMs: 10_000,
      retry: { maxAttempts: 4, initialDelayMs: 200, maxDelayMs: 5_000 },
      breaker: { consecutiveFailures: 10, halfOpenAfterMs: 30_000 },
      concurrency: 8,
      queue: 1_000,
      rateLimit: { perSecond: 1_000, burst: 200 },
    });
  });

  it("merges partial nested overrides with the defaults", () => {
    const { instance } = pipeline({ retry: { maxAttempts: 2 }, concurrency: 2 });
    expect(instance.options.retry).toEqual({ maxAttempts: 2, initialDelayMs: 200, maxDelayMs: 5_000 });
    expect(instance.options.concurrency).toBe(2);
  });

  it("refuses an initial delay above the maximum", () => {
    expect(() => pipeline({ retry: { initialDelayMs: 10_000, maxDelayMs: 100 } })).toThrow(/initialDelayMs/);
  });

  it("retries an idempotent call and reports every attempt", async () => {
    const { instance, sleeps } = pipeline();
    const reports: AttemptReport<string>[] = [];
    let calls = 0;
    const result = await instance.execute(
      async ({ attempt }) => {
        calls += 1;
        if (attempt < 3) throw unavailable("unknown");
        return "restarted";
      },
      { idempotent: true, onAttempt: (report) => reports.push(report) },
    );
    expect(result).toBe("restarted");
    expect(calls).toBe(3);
    expect(sleeps).toEqual([100, 200]);
    expect(reports.map((report) => ("value" in report.result ? report.result.value : "failed"))).toEqual([
      "failed",
      "failed",
      "restarted",
    ]);
  });

  it("does not retry errors it does not know, nor count them against the breaker", async () => {
    const { instance } = pipeline({ breaker: { consecutiveFailures: 1 } });
    let calls = 0;
    await expect(
      instance.execute(
        async () => {
          calls += 1;
          throw new Error("bug");
        },
        { idempotent: true },
      ),
    ).rejects.toThrow("bug");
    expect(calls).toBe(1);
    expect(instance.breakerState()).toBe("closed");
  });

  it("aborts an attempt's signal when it times out, and leaves it alone when it returns", async () => {
    const { instance } = pipeline({ timeoutMs: 20, retry: { maxAttempts: 1 } });
    let returned: AbortSignal | undefined;
    await instance.execute(
      async ({ signal }) => {
        returned = signal;
        return "done";
      },
      { idempotent: true },
    );
    // Nothing is left to cancel once an attempt returns; aborting cost a DOMException per request.
    expect(returned?.aborted).toBe(false);
    let timedOut: AbortSignal | undefined;
    await instance
      .execute(
        ({ signal }) => {
          timedOut = signal;
          return new Promise(() => {});
        },
        { idempotent: true },
      )
      .catch(() => undefined);
    expect(timedOut?.aborted).toBe(true);
  });

  it("names its own errors after the target when the caller gives no context", async () => {
    const { instance } = pipeline({ timeoutMs: 20, retry: { maxAttempts: 1 } });
    const error = await instance
      .execute(() => new Promise(() => {}), { idempotent: false })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).message).toBe("docker CALL - → timeout after 20 ms");
    expect((error as UnavailableError).hint).toContain("read the object back");
  });
});

describe("shouldRetry", () => {
  it("retries idempotent calls on any retryable failure", () => {
    expect(shouldRetry(unavailable("unknown"), true)).toBe(true);
  });

  it("retries non-idempotent calls only when the server cannot have acted", () => {
    expect(shouldRetry(unavailable("unknown"), false)).toBe(false);
    expect(shouldRetry(unavailable("not-sent"), false)).toBe(true);
    expect(shouldRetry(unavailable("rejected", 429), false)).toBe(true);
  });

  it("never retries answers, open circuits or foreign errors", () => {
    expect(shouldRetry(new AuthFailedError("no", { ...context, status: 403 }), true)).toBe(false);
    expect(shouldRetry(new CircuitOpenError("open", context), true)).toBe(false);
    expect(shouldRetry(new Error("x"), true)).toBe(false);
    expect(shouldRetry(new AutopilotError("unavailable", "x", { retryable: true }), false)).toBe(false);
    expect(shouldRetry(new AutopilotError("unavailable", "x", { retryable: true }), true)).toBe(true);
  });
});

describe("countsAgainstBreaker", () => {
  it("counts failures of the target, not its answers", () => {
    expect(countsAgainstBreaker(unavailable("unknown"))).toBe(true);
    expect(countsAgainstBreaker(unavailable("unknown", 503))).toBe(true);
    expect(countsAgainstBreaker(unavailable("rejected", 429))).toBe(false);
    expect(countsAgainstBreaker(new AuthFailedError("no", { ...context, status: 403 }))).toBe(false);
    expect(countsAgainstBreaker(new AutopilotError("unavailable", "engine down", { retryable: true }))).toBe(
      true,
    );
    expect(countsAgainstBreaker(new Error("x"))).toBe(false);
  });
});
