import type { Service } from "../catalog/service.ts";
import type { HomelabConfig } from "../config/schema.ts";
import type { DesiredResource } from "../engine/resource.ts";
import { HOMEPAGE_TOKEN_NAME, HOMEPAGE_TOKEN_SECRET } from "./grafana/access.ts";
import { grafanaRef } from "./grafana/refs.ts";
import { type DashboardReader, grafanaResources } from "./grafana.ts";
import { homepageResources } from "./homepage.ts";
import {
  HOMEPAGE_AUTHENTIK_TOKEN_REFERENCE,
  homepageAuthentikToken,
  homepageAuthentikTokenRef,
} from "./homepage-authentik.ts";
import { identityResources } from "./identity.ts";
import { ssoResources } from "./sso.ts";

/** What the wiring reads besides config and catalogue, passed in so that the rules stay pure. */
export interface DesiredStateInputs {
  /** The JSON model of a dashboard file named in monitoring.dashboards (path as in the config). */
  readDashboard?: DashboardReader;
  /** Told about what a rule left out (an incomplete widget), for logs and `plan`. */
  onWarning?: (message: string) => void;
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
  if (config.targets.homepage) desired.push(...homepageDesired(config, services, desired, inputs));
  return desired;
}

/** Homepage's tiles, plus the Authentik token its widget uses when a tile needs it. */
function homepageDesired(
  config: HomelabConfig,
  services: readonly Service[],
  others: readonly DesiredResource[],
  inputs: DesiredStateInputs,
): DesiredResource[] {
  const grafanaToken = grafanaRef("service-account-token", HOMEPAGE_TOKEN_NAME);
  const homepage = homepageResources(services, {
    ...(config.targets.grafana
      ? {
          grafana: {
            reference: `\${secret:${HOMEPAGE_TOKEN_SECRET}}`,
            ...(others.some((resource) => sameRef(resource.ref, grafanaToken))
              ? { producer: grafanaToken }
              : {}),
          },
        }
      : {}),
    ...(config.targets.authentik
      ? { authentik: { reference: HOMEPAGE_AUTHENTIK_TOKEN_REFERENCE, producer: homepageAuthentikTokenRef } }
      : {}),
  });
  for (const warning of homepage.warnings) inputs.onWarning?.(warning);
  return [...(homepage.uses.has("authentik") ? homepageAuthentikToken(config) : []), ...homepage.resources];
}

function sameRef(a: DesiredResource["ref"], b: DesiredResource["ref"]): boolean {
  return a.target === b.target && a.kind === b.kind && a.key === b.key;
}
