import { Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * The one Prometheus registry of the process. Each module declares the metrics it measures
 * next to the code that measures them, through these helpers, which return the existing metric
 * when a module is evaluated twice (tests do that) instead of throwing "already registered".
 */
export const registry = new Registry();

export const METRIC_PREFIX = "autopilot_";

type Labels<L extends string> = readonly L[];

export function counter<L extends string>(name: string, help: string, labelNames: Labels<L>): Counter<L> {
  const existing = registry.getSingleMetric(METRIC_PREFIX + name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name: METRIC_PREFIX + name, help, labelNames, registers: [registry] });
}

export function gauge<L extends string>(name: string, help: string, labelNames: Labels<L>): Gauge<L> {
  const existing = registry.getSingleMetric(METRIC_PREFIX + name);
  if (existing) return existing as Gauge<L>;
  return new Gauge({ name: METRIC_PREFIX + name, help, labelNames, registers: [registry] });
}

/** Durations in seconds; buckets from 5 ms (a loopback call) to 30 s (a slow apply). */
export function histogram<L extends string>(
  name: string,
  help: string,
  labelNames: Labels<L>,
  buckets: number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
): Histogram<L> {
  const existing = registry.getSingleMetric(METRIC_PREFIX + name);
  if (existing) return existing as Histogram<L>;
  return new Histogram({ name: METRIC_PREFIX + name, help, labelNames, buckets, registers: [registry] });
}
