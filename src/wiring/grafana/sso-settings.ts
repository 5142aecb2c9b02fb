import type { Service } from "../../catalog/service.ts";
import type { HomelabConfig } from "../../config/schema.ts";
import type { DesiredResource } from "../../engine/resource.ts";
import { generatedSecret, outputOf } from "../../engine/resource.ts";
import type { SsoSettingsSpec } from "../../providers/grafana/kinds/sso-settings.ts";
import { clientSecretName, oidcProviderRef, ssoResources } from "../sso.ts";
import { grafanaRef } from "./refs.ts";

export const GENERIC_OAUTH = "generic_oauth";

/** Grafana's own service: the one whose address is targets.grafana.url, else the one with slug "grafana". */
export function grafanaService(config: HomelabConfig, services: readonly Service[]): Service | undefined {
  const url = config.targets.grafana?.url;
  if (!url) return undefined;
  const host = new URL(url).host;
  const byHost = services.find(
    (service) => service.href !== undefined && new URL(service.href).host === host,
  );
  return byHost ?? services.find((service) => service.slug === "grafana");
}

/** Groups of the config's identity that make a Grafana Admin, then the conventional Grafana groups. */
export function roleAttributePath(config: HomelabConfig): string {
  const quote = (text: string) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  const admins = [
    ...(config.identity?.groups ?? []).filter((g) => g.superuser).map((g) => g.name),
    "Grafana Admins",
  ];
  const clauses = [
    ...admins.map((group) => `contains(groups[*], ${quote(group)}) && 'Admin'`),
    "contains(groups[*], 'Grafana Editors') && 'Editor'",
    "'Viewer'",
  ];
  return clauses.join(" || ");
}

/**
 * Single sign-on for Grafana itself, when both Authentik and Grafana are targets: Grafana's
 * service gets an Authentik OIDC provider and application (the SSO wiring's own, or added here
 * when the service does not ask for `sso: oidc` or is not in the catalogue), and Grafana's
 * generic OAuth settings point at that provider — client id from its output, client secret the
 * one Autopilot generated for it. A Grafana behind `sso: proxy` is left to the proxy.
 */
export function grafanaSsoResources(config: HomelabConfig, services: readonly Service[]): DesiredResource[] {
  const authentik = config.targets.authentik?.url;
  const grafana = config.targets.grafana?.url;
  if (!authentik || !grafana) return [];
  const found = grafanaService(config, services);
  if (found?.sso === "proxy") return [];
  const publicUrl = new URL(found?.href ?? grafana).origin;
  const service: Service =
    found?.sso === "oidc"
      ? found
      : {
          name: "Grafana",
          slug: "grafana",
          group: "Monitoring",
          dependsOn: [],
          monitor: false,
          alert: false,
          origin: "targets.grafana",
          ...found,
          href: found?.href ?? grafana,
          sso: "oidc",
          redirectUris: [`${publicUrl}/login/generic_oauth`],
        };
  const base = authentik.replace(/\/+$/, "");
  const settings: SsoSettingsSpec = {
    provider: GENERIC_OAUTH,
    settings: {
      enabled: true,
      name: "Authentik",
      clientId: outputOf(oidcProviderRef(service), "clientId") as unknown as string,
      clientSecret: generatedSecret(clientSecretName(service), 64) as unknown as string,
      scopes: "openid profile email",
      authUrl: `${base}/application/o/authorize/`,
      tokenUrl: `${base}/application/o/token/`,
      apiUrl: `${base}/application/o/userinfo/`,
      signoutRedirectUrl: `${base}/application/o/${service.slug}/end-session/`,
      roleAttributePath: roleAttributePath(config),
      allowSignUp: true,
      usePkce: true,
    },
  };
  return [
    ...(found?.sso === "oidc" ? [] : ssoResources([service])),
    {
      ref: grafanaRef("sso-settings", GENERIC_OAUTH),
      origin: `service ${service.name} (${service.origin})`,
      spec: settings,
    },
  ];
}
