import type { DiscoveredServices } from "../catalog/catalogue.ts";
import type { DiscoveredContainer } from "./container.ts";
import { type LabelReadOptions, servicesFromContainer } from "./container-service.ts";
import { type DockerEndpoints, type ListDeps, listContainers } from "./docker-discovery.ts";

/** Lists the containers of every endpoint and reads the services their labels describe. */
export async function discoverServices(
  endpoints: DockerEndpoints,
  options: LabelReadOptions,
  deps: ListDeps = {},
): Promise<DiscoveredServices> {
  const listing = await listContainers(endpoints, deps);
  return { ...servicesFromContainers(listing.containers, options), failures: listing.failures };
}

/** The pure half: containers (already listed) → services, refusals and warnings. */
export function servicesFromContainers(
  containers: readonly DiscoveredContainer[],
  options: LabelReadOptions,
): Omit<DiscoveredServices, "failures"> {
  const services: DiscoveredServices["services"][number][] = [];
  const refusals: DiscoveredServices["refusals"][number][] = [];
  const warnings: DiscoveredServices["warnings"][number][] = [];
  for (const container of containers) {
    const result = servicesFromContainer(container, options);
    services.push(...result.services);
    refusals.push(...result.refusals);
    warnings.push(...result.warnings);
  }
  return { services, refusals, warnings, containers: [...containers] };
}
