import type { Service } from "../catalog/service.ts";
import type { HomelabConfig } from "../config/schema.ts";
import type { DesiredResource } from "../engine/resource.ts";
import { identityResources } from "./identity.ts";
import { ssoResources } from "./sso.ts";

/**
 * The whole desired state of the lab: every wiring rule applied to the config and the service
 * catalogue. Pure. Rules for a target whose section is absent from `targets` add nothing.
 */
export function desiredState(config: HomelabConfig, services: readonly Service[]): DesiredResource[] {
  const desired: DesiredResource[] = [];
  if (config.targets.authentik)
    desired.push(...identityResources(config.identity), ...ssoResources(services));
  return desired;
}
