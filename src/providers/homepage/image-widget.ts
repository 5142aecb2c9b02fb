import { widgetType } from "./widget-types.ts";

/**
 * Recognises the Homepage widget type that fits a container image, so a container without a
 * `homepage.widget.type` label still gets a widget: `grafana/grafana:11.2` → grafana,
 * `lscr.io/linuxserver/sonarr` → sonarr. Images whose last path segment is not the product name
 * are listed explicitly; otherwise that segment, lowercased without '-', '_' and '.', is looked
 * up among Homepage's widget types. Legacy alias types resolve to the type that implements them.
 */
const KNOWN_REPOSITORIES: Readonly<Record<string, string>> = {
  "goauthentik/server": "authentik",
  "beryju/authentik": "authentik",
  "grafana/grafana-oss": "grafana",
  "grafana/grafana-enterprise": "grafana",
  "plexinc/pms-docker": "plex",
  "portainer/portainer-ce": "portainer",
  "portainer/portainer-ee": "portainer",
  "adguard/adguardhome": "adguard",
  "louislam/uptime-kuma": "uptimekuma",
  "prom/prometheus": "prometheus",
  "immich-app/immich-server": "immich",
  "jc21/nginx-proxy-manager": "npm",
  "gitlab/gitlab-ce": "gitlab",
  "gitlab/gitlab-ee": "gitlab",
  "dgtlmoon/changedetection.io": "changedetectionio",
  "fallenbagel/jellyseerr": "seerr",
  "sct/overseerr": "seerr",
  "nicolargo/glances": "glances",
  "itzg/minecraft-server": "minecraft",
};

/** Types that name a generic concept rather than a product: never guessed from an image name. */
const NOT_FROM_IMAGE_NAME = new Set([
  "calendar",
  "customapi",
  "iframe",
  "mjpeg",
  "prometheusmetric",
  "stocks",
  "coinmarketcap",
  "gamedig",
]);

/** `registry:5000/owner/name:tag@sha256:…` → `owner/name` (registry and `library/` dropped). */
export function imageRepository(image: string): string {
  const withoutDigest = image.split("@")[0] ?? "";
  const lastSlash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.indexOf(":", lastSlash + 1);
  const name = (colon < 0 ? withoutDigest : withoutDigest.slice(0, colon)).toLowerCase();
  const parts = name.split("/");
  const first = parts[0] ?? "";
  // A first segment with a dot or a port, or "localhost", is a registry host.
  if (parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost"))
    parts.shift();
  if (parts[0] === "library" && parts.length > 1) parts.shift();
  return parts.join("/");
}

export function widgetTypeForImage(image: string): string | undefined {
  const repository = imageRepository(image);
  const known = Object.hasOwn(KNOWN_REPOSITORIES, repository) ? KNOWN_REPOSITORIES[repository] : undefined;
  const candidate = known ?? (repository.split("/").at(-1) ?? "").replace(/[-_.]/g, "");
  if (known === undefined && NOT_FROM_IMAGE_NAME.has(candidate)) return undefined;
  const type = widgetType(candidate);
  if (!type || type.internal) return undefined;
  return type.aliasOf ?? type.type;
}
