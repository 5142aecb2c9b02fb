import type { LoadedConfig } from "../config/load.ts";
import { discoverServices } from "../discovery/discover.ts";
import type { ListDeps } from "../discovery/docker-discovery.ts";
import { readInstanceName } from "../providers/homepage/settings-file.ts";
import { buildCatalogue, type Catalogue } from "./catalogue.ts";
import { servicesFromConfig } from "./service.ts";

/**
 * The lab's catalogue: the config's services, and — when `targets.docker` is configured — every
 * container's labels on every endpoint, read for the Homepage instance Autopilot writes
 * (`instanceName` from its settings.yaml). Widgets of grafana and authentik need no credentials
 * in labels when Autopilot manages those targets: it makes tokens for Homepage itself.
 */
export async function labCatalogue(loaded: LoadedConfig, deps: ListDeps = {}): Promise<Catalogue> {
  const { config } = loaded;
  const autoCredentials = new Set<string>([
    ...(config.targets.grafana ? ["grafana"] : []),
    ...(config.targets.authentik ? ["authentik"] : []),
  ]);
  const docker = config.targets.docker;
  if (!docker) return buildCatalogue(servicesFromConfig(config), undefined, { autoCredentials });
  const homepage = config.targets.homepage;
  const instanceName = homepage ? await readInstanceName(loaded.resolvePath(homepage.configDir)) : undefined;
  const discovered = await discoverServices(
    {
      endpoints: docker.endpoints,
      ...(docker.tls ? { tls: docker.tls } : {}),
      resolvePath: loaded.resolvePath,
    },
    { autoCredentials, ...(instanceName ? { instanceName } : {}) },
    deps,
  );
  return buildCatalogue(servicesFromConfig(config), discovered, { autoCredentials });
}
