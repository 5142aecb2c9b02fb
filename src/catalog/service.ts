import type { HomelabConfig } from "../config/schema.ts";
import { deriveSlug } from "../config/slug.ts";

/** Where one field of a service came from; `autopilot discover` shows it for every field. */
export type SourceKind = "config" | "label" | "inferred";

export interface FieldSource {
  readonly kind: SourceKind;
  /** "services[2].href", "homepage.href", "traefik.http.routers.web.rule", "image grafana/grafana" */
  readonly detail: string;
}

/** A Homepage service widget: its type and options (credentials as secret references or placeholders). */
export type Widget = Record<string, unknown> & { type: string };

/** The container a discovered service runs in. */
export interface ContainerRef {
  readonly id: string;
  readonly name: string;
  readonly endpoint: string;
  readonly image: string;
  /** Docker's state: running, exited, created, paused, restarting, dead. */
  readonly state: string;
  /** From the container's HEALTHCHECK: healthy, unhealthy, starting; absent without one. */
  readonly health?: string;
  readonly compose?: { readonly project: string; readonly service: string };
}

/**
 * A service of the lab as every rule downstream sees it, whatever it came from: the config file
 * or a container's labels. Pure data; `origin` says where, for messages; `sources` says where
 * each field came from.
 */
export interface Service {
  name: string;
  slug: string;
  group: string;
  href?: string;
  description?: string;
  icon?: string;
  widget?: Widget;
  /** Several widgets on one tile (`homepage.widgets[n].*`); never together with `widget`. */
  widgets?: Widget[];
  sso: "oidc" | "proxy" | "none";
  redirectUris: string[];
  health?: string;
  dependsOn: string[];
  monitor: boolean;
  heal?: boolean;
  alert: boolean;
  update?: "rolling" | "manual";
  /** Other Homepage tile settings from labels: weight, ping, siteMonitor, statusStyle, showStats, target, id. */
  homepage?: Record<string, unknown>;
  container?: ContainerRef;
  /** "config services[2]" or "container grafana" */
  origin: string;
  /** Field name → where its value came from. */
  sources?: Record<string, FieldSource>;
}

const CONFIG_FIELDS: Readonly<Record<string, string>> = {
  name: "name",
  slug: "slug",
  group: "group",
  href: "href",
  description: "description",
  icon: "icon",
  widget: "widget",
  sso: "sso",
  redirectUris: "redirectUris",
  health: "health",
  dependsOn: "depends_on",
  monitor: "monitor",
  heal: "heal",
  alert: "alert",
};

/** The services the config file declares. Discovery adds containers (see src/discovery). */
export function servicesFromConfig(config: HomelabConfig): Service[] {
  return config.services.map((service, index) => {
    const sources: Record<string, FieldSource> = {};
    const raw = service as Record<string, unknown>;
    for (const [field, key] of Object.entries(CONFIG_FIELDS)) {
      if (raw[key] !== undefined) sources[field] = { kind: "config", detail: `services[${index}].${key}` };
    }
    // zod fills the slug and sso when the file leaves them out: say so instead of blaming the file.
    if (deriveSlug(service.name) === service.slug)
      sources.slug = { kind: "inferred", detail: "derived from the name" };
    if (service.sso === "none") sources.sso = { kind: "inferred", detail: "default" };
    return {
      name: service.name,
      slug: service.slug,
      group: service.group,
      ...(service.href ? { href: service.href } : {}),
      ...(service.description ? { description: service.description } : {}),
      ...(service.icon ? { icon: service.icon } : {}),
      ...(service.widget ? { widget: service.widget as Widget } : {}),
      sso: service.sso ?? "none",
      redirectUris: service.redirectUris ?? [],
      ...(service.health ? { health: service.health } : {}),
      dependsOn: service.depends_on ?? [],
      monitor: service.monitor ?? false,
      ...(service.heal === undefined ? {} : { heal: service.heal }),
      alert: service.alert ?? false,
      origin: `config services[${index}]`,
      sources,
    };
  });
}
