import type { ContainerEvent } from "./docker-events.ts";
import type { HealingSubject } from "./healer.ts";

/**
 * Reads healing's view of a container from its labels: `autopilot.heal=true|false` overrides
 * the policy; dependencies come from `autopilot.depends_on` (container or service names) and
 * Compose's own `com.docker.compose.depends_on` ("service:condition:restart,…").
 */
export function subjectFromLabels(event: ContainerEvent, policyEnabled: boolean): HealingSubject {
  const labels = event.labels;
  const heal =
    labels["autopilot.heal"] === "true" ? true : labels["autopilot.heal"] === "false" ? false : policyEnabled;
  const declared = (labels["autopilot.depends_on"] ?? "").split(",");
  const compose = (labels["com.docker.compose.depends_on"] ?? "")
    .split(",")
    .map((entry) => entry.split(":")[0] ?? "");
  const dependsOn = [...new Set([...declared, ...compose].map((name) => name.trim()).filter(Boolean))];
  return {
    service:
      labels["autopilot.name"] ??
      labels["homepage.name"] ??
      labels["com.docker.compose.service"] ??
      event.name,
    heal,
    dependsOn,
  };
}

/** Names a container answers to in dependency lists: its own, and its Compose service's. */
export function namesOf(event: ContainerEvent): string[] {
  const service = event.labels["com.docker.compose.service"];
  return service && service !== event.name ? [event.name, service] : [event.name];
}
