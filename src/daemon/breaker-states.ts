import { registry } from "../observability/metrics.ts";

const NAMES = ["closed", "half-open", "open"] as const;

/**
 * The circuit breaker state of every target, read back from the gauge the HTTP core keeps
 * (0 closed, 1 half-open, 2 open): the one place every client reports to.
 */
export async function breakerStates(): Promise<Map<string, (typeof NAMES)[number]>> {
  const states = new Map<string, (typeof NAMES)[number]>();
  const metric = registry.getSingleMetric("autopilot_circuit_breaker_state");
  if (!metric) return states;
  for (const value of (await metric.get()).values) {
    const target = value.labels.target;
    if (typeof target === "string") states.set(target, NAMES[value.value] ?? "closed");
  }
  return states;
}
