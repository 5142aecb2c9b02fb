import type { Service } from "../../catalog/service.ts";
import type { HomelabConfig } from "../../config/schema.ts";
import type { DesiredResource } from "../../engine/resource.ts";
import { outputOf } from "../../engine/resource.ts";
import type { ServiceAccountTokenSpec } from "../../providers/grafana/kinds/service-account-tokens.ts";
import type { ServiceAccountSpec } from "../../providers/grafana/kinds/service-accounts.ts";
import type { TeamSpec } from "../../providers/grafana/kinds/teams.ts";
import { grafanaRef } from "./refs.ts";

/** The service account whose token Homepage's Grafana widget uses (read-only: Viewer). */
export const HOMEPAGE_SERVICE_ACCOUNT = "autopilot-homepage";
export const HOMEPAGE_TOKEN_NAME = "autopilot-homepage-widget";
/**
 * Where that token's key is kept in the secret store. Homepage's `grafana` widget takes it as
 * Basic auth: `username: api_key`, `password: ${secret:grafana_sa_homepage_token}`.
 */
export const HOMEPAGE_TOKEN_SECRET = "grafana_sa_homepage_token";

/** monitoring.teams (members when listed). */
export function teamResources(config: HomelabConfig): DesiredResource<TeamSpec>[] {
  return (config.monitoring?.teams ?? []).map((team, index) => ({
    ref: grafanaRef("team", team.name),
    origin: `config monitoring.teams[${index}]`,
    spec: {
      name: team.name,
      email: team.email ?? "",
      ...(team.members ? { members: [...team.members] } : {}),
    },
  }));
}

/**
 * monitoring.serviceAccounts, and — when Homepage is a target or a service shows a Grafana
 * widget — a Viewer account with a token for that widget, its key kept in the secret store.
 */
export function serviceAccountResources(
  config: HomelabConfig,
  services: readonly Service[],
): DesiredResource<ServiceAccountSpec | ServiceAccountTokenSpec>[] {
  const resources: DesiredResource<ServiceAccountSpec | ServiceAccountTokenSpec>[] = (
    config.monitoring?.serviceAccounts ?? []
  ).map((account, index) => ({
    ref: grafanaRef("service-account", account.name),
    origin: `config monitoring.serviceAccounts[${index}]`,
    spec: { name: account.name, role: account.role, isDisabled: false },
  }));
  const widget = services.some((service) => service.widget?.type === "grafana");
  if ((config.targets.homepage || widget) && !resources.some((r) => r.ref.key === HOMEPAGE_SERVICE_ACCOUNT)) {
    const account = grafanaRef("service-account", HOMEPAGE_SERVICE_ACCOUNT);
    const origin = "Homepage's Grafana widget";
    resources.push(
      { ref: account, origin, spec: { name: HOMEPAGE_SERVICE_ACCOUNT, role: "Viewer", isDisabled: false } },
      {
        ref: grafanaRef("service-account-token", HOMEPAGE_TOKEN_NAME),
        origin,
        spec: {
          name: HOMEPAGE_TOKEN_NAME,
          serviceAccount: HOMEPAGE_SERVICE_ACCOUNT,
          serviceAccountId: outputOf(account, "id") as unknown as number,
          secretName: HOMEPAGE_TOKEN_SECRET,
          secondsToLive: 0,
        },
      },
    );
  }
  return resources;
}
