import type { HomelabConfig } from "../config/schema.ts";

/**
 * A service of the lab as every rule downstream sees it, whatever it came from: the config file
 * or a container's labels. Pure data; `origin` says where, for messages.
 */
export interface Service {
  name: string;
  slug: string;
  group: string;
  href?: string;
  description?: string;
  icon?: string;
  widget?: Record<string, unknown> & { type: string };
  sso: "oidc" | "proxy" | "none";
  redirectUris: string[];
  health?: string;
  dependsOn: string[];
  monitor: boolean;
  heal?: boolean;
  alert: boolean;
  /** "config services[2]" or "container grafana" */
  origin: string;
}

/** The services the config file declares. Discovery adds containers (see src/discovery). */
export function servicesFromConfig(config: HomelabConfig): Service[] {
  return config.services.map((service, index) => ({
    name: service.name,
    slug: service.slug,
    group: service.group,
    ...(service.href ? { href: service.href } : {}),
    ...(service.description ? { description: service.description } : {}),
    ...(service.icon ? { icon: service.icon } : {}),
    ...(service.widget ? { widget: service.widget as Service["widget"] & object } : {}),
    sso: service.sso ?? "none",
    redirectUris: service.redirectUris ?? [],
    ...(service.health ? { health: service.health } : {}),
    dependsOn: service.depends_on ?? [],
    monitor: service.monitor ?? false,
    ...(service.heal === undefined ? {} : { heal: service.heal }),
    alert: service.alert ?? false,
    origin: `config services[${index}]`,
  }));
}
