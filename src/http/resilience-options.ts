import { z } from "zod";
import { AutopilotError } from "../errors/autopilot-error.ts";
import type { ResilienceOptions, ResilienceOverrides } from "./types.ts";

export type { ResilienceOverrides };

/**
 * Per-target resilience settings: the defaults suit a homelab service on a LAN (fast, rarely
 * overloaded); a target's `resilience` block overrides any of them, nested groups field by field.
 */
export const DEFAULT_RESILIENCE: ResilienceOptions = {
  timeoutMs: 10_000,
  retry: { maxAttempts: 4, initialDelayMs: 200, maxDelayMs: 5_000 },
  // 10, not 5: with dozens of requests in flight, a lab with a few percent of failures sees five
  // in a row by chance and would stall every write for the cooldown (lab-500 benchmark, 200
  // concurrent operations at 10% faults); a target that is really down fails all of them anyway.
  breaker: { consecutiveFailures: 10, halfOpenAfterMs: 30_000 },
  concurrency: 8,
  queue: 1_000,
  // A safety valve against a runaway loop, not a throttle: `concurrency` is what bounds the load
  // on a small server (8 in flight at ~20 ms is ~400 requests/s at most). A limit of 50/s made a
  // 500-service cold apply take 30 s instead of 4 (see BENCHMARKS.md, lab-500).
  rateLimit: { perSecond: 1_000, burst: 200 },
};

const positiveInt = z.number().int().positive();

const resilienceSchema = z
  .object({
    timeoutMs: positiveInt,
    retry: z.object({
      maxAttempts: positiveInt,
      initialDelayMs: z.number().min(0),
      maxDelayMs: z.number().min(0),
    }),
    breaker: z.object({ consecutiveFailures: positiveInt, halfOpenAfterMs: positiveInt }),
    concurrency: positiveInt,
    queue: z.number().int().min(0),
    rateLimit: z.object({ perSecond: z.number().positive(), burst: positiveInt }),
  })
  .refine((options) => options.retry.initialDelayMs <= options.retry.maxDelayMs, {
    message: "retry.initialDelayMs must not exceed retry.maxDelayMs",
  });

export function resolveResilience(target: string, overrides: ResilienceOverrides = {}): ResilienceOptions {
  const merged = {
    ...DEFAULT_RESILIENCE,
    ...overrides,
    retry: { ...DEFAULT_RESILIENCE.retry, ...overrides.retry },
    breaker: { ...DEFAULT_RESILIENCE.breaker, ...overrides.breaker },
    rateLimit: { ...DEFAULT_RESILIENCE.rateLimit, ...overrides.rateLimit },
  };
  const result = resilienceSchema.safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join(".") || "resilience"}: ${issue.message}`,
    );
    throw new AutopilotError("config", `${target}: invalid resilience settings: ${problems.join("; ")}`, {
      hint: "fix the resilience block of this target, or remove it to use the defaults",
    });
  }
  return result.data;
}
