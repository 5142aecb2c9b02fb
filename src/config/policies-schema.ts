import { z } from "zod";
import { duration } from "./duration-field.ts";

export const healingPolicySchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe("Restart unhealthy containers. Label autopilot.heal=true|false overrides per container."),
    maxRestarts: z
      .number()
      .int()
      .min(0)
      .max(100)
      .default(3)
      .describe("Restarts allowed per container within `window`; then Autopilot stops and alerts."),
    window: duration.prefault("10m").describe("Window of the restart budget."),
    backoff: duration.prefault("10s").describe("First delay between restarts; doubles after each one."),
  })
  .describe("Self-healing.");

export const driftPolicySchema = z
  .strictObject({
    interval: duration.prefault("5m").describe("How often the daemon compares live state with the config."),
    remediate: z
      .boolean()
      .default(false)
      .describe("Apply the plan when drift is found, instead of only alerting."),
  })
  .describe("Drift detection.");

export const rotationPolicySchema = z
  .strictObject({
    maxAge: duration.prefault("90d").describe("Secrets Autopilot created are rotated after this age."),
  })
  .describe("Secret rotation.");

export const policiesSchema = z
  .strictObject({
    healing: healingPolicySchema.prefault({}),
    drift: driftPolicySchema.prefault({}),
    rotation: rotationPolicySchema.prefault({}),
  })
  .describe("How the daemon heals, watches for drift and rotates secrets.");
