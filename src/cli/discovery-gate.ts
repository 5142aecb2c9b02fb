import type { Catalogue } from "../catalog/catalogue.ts";
import { refusalMessage } from "../discovery/container.ts";
import type { Provider } from "../engine/resource-kind.ts";
import { AutopilotError } from "../errors/autopilot-error.ts";

/**
 * When a Docker endpoint could not be listed, its containers are unknown, not gone: planning
 * anyway would delete their tiles, SSO applications and dashboards. So every target counts as
 * unavailable for this run (the engine then plans nothing for it and deletes nothing), with the
 * reason; the next run with a reachable engine converges as usual.
 */
export function gateOnDiscovery(providers: Provider[], catalogue: Catalogue): Provider[] {
  if (catalogue.failures.length === 0) return providers;
  const endpoints = catalogue.failures
    .map((failure) => `${failure.endpoint} (${failure.error.message})`)
    .join(", ");
  const error = new AutopilotError("unavailable", `container discovery is incomplete: ${endpoints}`, {
    hint: "bring the Docker endpoint back (or remove it from targets.docker.endpoints); nothing is planned until then",
    retryable: true,
  });
  return providers.map((provider) => ({ ...provider, connect: () => Promise.reject(error) }));
}

/** Refused services, duplicates and label conflicts, one line each, for stderr. */
export function catalogueNotes(catalogue: Catalogue): string[] {
  return [
    ...catalogue.refused.map((refusal) => `service refused: ${refusalMessage(refusal)}`),
    ...catalogue.errors.map((error) => `service left out: ${error}`),
    ...catalogue.warnings.map((warning) => `warning: ${warning}`),
  ];
}
