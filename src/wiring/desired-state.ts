import type { Service } from "../catalog/service.ts";
import type { HomelabConfig } from "../config/schema.ts";
import type { DesiredResource } from "../engine/resource.ts";
import { type DashboardReader, grafanaResources } from "./grafana.ts";
import { identityResources } from "./identity.ts";
import { ssoResources } from "./sso.ts";

/** What the wiring reads besides config and catalogue, passed in so that the rules stay pure. */
export interface DesiredStateInputs {
  /** The JSON model of a dashboard file named in monitoring.dashboards (path as in the config). */
  readDashboard?: DashboardReader;
}

/**
 * The whole desired state of the lab: every wiring rule applied to the config and the service
 * catalogue. Pure. Rules for a target whose section is absent from `targets` add nothing.
 */
export function desiredState(
  config: HomelabConfig,
  services: readonly Service[],
  inputs: DesiredStateInputs = {},
): DesiredResource[] {
  const desired: DesiredResource[] = [];
  if (config.targets.authentik)
    desired.push(...identityResources(config.identity), ...ssoResources(services));
  if (config.targets.grafana) desired.push(...grafanaResources(config, services, inputs.readDashboard));
  return desired;
}
