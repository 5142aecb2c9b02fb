import { gauge } from "./metrics.ts";

/**
 * The health of each monitored service as Autopilot's probes see it, declared here so that the
 * code that probes (the daemon) and what reads it (the built-in Grafana "Lab services" dashboard
 * and the "down" alert rules) agree on one name: `autopilot_service_up{service="<slug>"}`, 1 while
 * the service answers its health check, 0 while it does not.
 */
export const SERVICE_UP = "service_up";

export const serviceUp = gauge(SERVICE_UP, "1 while a monitored service is healthy, 0 while it is not", [
  "service",
]);
