import { counter, gauge, histogram } from "../observability/metrics.ts";
import type { BreakerState } from "./types.ts";

/**
 * What every call to another system measures. One observation per attempt, so a request that
 * succeeded on its third try shows two failures and one success, and retries are visible.
 * `status` is the code, or what happened instead of one: timeout, reset, refused, dns, tls,
 * circuit-open, bulkhead-full, network, error.
 */
const requestDuration = histogram(
  "http_request_duration_seconds",
  "Duration of each HTTP attempt to a target, by route template and status",
  ["target", "method", "route", "status"],
);

const requestsTotal = counter(
  "http_requests_total",
  "HTTP attempts to a target, by route template and status",
  ["target", "method", "route", "status"],
);

const retriesTotal = counter("http_retries_total", "Retries after a failed attempt, by target and reason", [
  "target",
  "reason",
]);

const breakerStateGauge = gauge(
  "circuit_breaker_state",
  "Circuit breaker state per target: 0 closed, 1 half-open, 2 open",
  ["target"],
);

export interface AttemptObservation {
  target: string;
  method: string;
  route: string;
  status: string;
  seconds: number;
}

export function observeAttempt(observation: AttemptObservation): void {
  const labels = {
    target: observation.target,
    method: observation.method,
    route: observation.route,
    status: observation.status,
  };
  requestDuration.observe(labels, observation.seconds);
  requestsTotal.inc(labels);
}

export function countRetry(target: string, reason: string): void {
  retriesTotal.inc({ target, reason });
}

const BREAKER_STATE_VALUE: Record<BreakerState, number> = { closed: 0, "half-open": 1, open: 2 };

export function recordBreakerState(target: string, state: BreakerState): void {
  breakerStateGauge.set({ target }, BREAKER_STATE_VALUE[state]);
}
