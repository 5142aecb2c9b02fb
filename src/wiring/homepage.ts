import type { Service } from "../catalog/service.ts";
import type { DesiredResource, ResourceRef } from "../engine/resource.ts";
import { HOMEPAGE_FILES } from "../providers/homepage/kinds/config-files.ts";
import { DEFAULT_CONTAINER_CONFIG_DIR, ENV_FILE, SECRETS_DIR } from "../providers/homepage/session.ts";
import { renderWidget, type SecretNeed, type WidgetCredentials } from "./homepage-widgets.ts";

/**
 * Cross-target rule: every service of the catalogue is a tile in services.yaml, in its group.
 * The tile links to the href, shows the description (with " (SSO)" appended when Authentik
 * guards the service), the icon, a status dot from `siteMonitor` (the label's, else the health
 * URL) and the widget(s). Secrets go to files behind placeholders; the env file lists them. The
 * five config files Homepage needs are kept present.
 */
export const SSO_MARK = " (SSO)";

const homepageRef = (kind: string, key: string): ResourceRef => ({ target: "homepage", kind, key });

export interface HomepageWiring {
  readonly resources: DesiredResource[];
  readonly warnings: string[];
  /** Which of Autopilot's own tokens the widgets use. */
  readonly uses: ReadonlySet<"grafana" | "authentik">;
}

export function homepageResources(
  services: readonly Service[],
  credentials: WidgetCredentials = {},
  containerConfigDir = DEFAULT_CONTAINER_CONFIG_DIR,
): HomepageWiring {
  const resources: DesiredResource[] = HOMEPAGE_FILES.map((file) => ({
    ref: homepageRef("config-file", file),
    origin: "Homepage needs every config file",
    spec: { file },
  }));
  const warnings: string[] = [];
  const uses = new Set<"grafana" | "authentik">();
  const secrets = new Map<string, SecretNeed>();
  for (const service of services) {
    const entry: Record<string, unknown> = {};
    if (service.href) entry.href = service.href;
    const description = `${service.description ?? ""}${service.sso === "none" ? "" : SSO_MARK}`.trim();
    if (description) entry.description = description;
    if (service.icon) entry.icon = service.icon;
    const { siteMonitor, ...settings } = service.homepage ?? {};
    Object.assign(entry, settings);
    const monitor = siteMonitor ?? service.health;
    if (monitor !== undefined) entry.siteMonitor = monitor;
    const needs: SecretNeed[] = [];
    const inferred = service.sources?.widget?.kind === "inferred";
    const widgets = service.widgets ?? (service.widget ? [service.widget] : []);
    const rendered = widgets.map((widget) => renderWidget(service, widget, credentials, inferred));
    for (const result of rendered) {
      warnings.push(...result.warnings);
      needs.push(...result.secrets);
      for (const use of result.uses) uses.add(use);
    }
    const shown = rendered.flatMap((result) => (result.widget ? [result.widget] : []));
    if (service.widgets && shown.length === service.widgets.length) entry.widgets = shown;
    else if (!service.widgets && shown[0]) entry.widget = shown[0];
    else if (service.widgets)
      warnings.push(`service ${service.name}: its widgets are left out (one is incomplete)`);
    const entryNeeds = entry.widget || entry.widgets ? needs : [];
    for (const need of entryNeeds) secrets.set(need.variable, need);
    resources.push({
      ref: homepageRef("service", `${service.group}/${service.name}`),
      origin: `service ${service.name} (${service.origin})`,
      dependsOn: [...new Set(entryNeeds.map((need) => need.variable))].map((variable) =>
        homepageRef("secret-file", variable),
      ),
      spec: { group: service.group, name: service.name, entry },
    });
  }
  for (const need of secrets.values()) {
    resources.push({
      ref: homepageRef("secret-file", need.variable),
      origin: `secret for Homepage widgets (${need.source})`,
      ...(need.producer ? { dependsOn: [need.producer] } : {}),
      spec: { variable: need.variable, source: need.source },
    });
  }
  const directory = `${containerConfigDir.replace(/\/+$/, "")}/${SECRETS_DIR}`;
  resources.push({
    ref: homepageRef("env-file", ENV_FILE),
    origin: "environment for the Homepage container",
    dependsOn: [...secrets.keys()].map((variable) => homepageRef("secret-file", variable)),
    spec: {
      file: ENV_FILE,
      variables: Object.fromEntries(
        [...secrets.keys()].sort().map((variable) => [variable, `${directory}/${variable}`]),
      ),
    },
  });
  return { resources, warnings, uses };
}
