import { counter, gauge } from "./metrics.ts";

/**
 * Metrics about the lab rather than about Autopilot's own calls, declared here so that the code
 * that measures them (the daemon's probes, drift check and healer) and the built-in Grafana
 * dashboards and alert rules that read them agree on one name each. Full names carry the
 * `autopilot_` prefix.
 */
export const SERVICE_UP = "service_up";
export const DRIFT_DETECTED = "drift_detected_total";
export const HEALING_ACTIONS = "healing_actions_total";

/** 1 while a monitored service answers its health check, 0 while it does not; label `service` is its slug. */
export const serviceUp = gauge(SERVICE_UP, "1 while a monitored service is healthy, 0 while it is not", [
  "service",
]);

/** Objects found changed behind Autopilot's back, by target and kind. */
export const driftDetected = counter(DRIFT_DETECTED, "Drifted objects found by drift checks", [
  "target",
  "kind",
]);

/** Self-healing actions (restart, escalate), by service, action and outcome. */
export const healingActions = counter(HEALING_ACTIONS, "Self-healing actions taken", [
  "service",
  "action",
  "outcome",
]);
