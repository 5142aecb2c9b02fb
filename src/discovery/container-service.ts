import type { FieldSource, Service, Widget } from "../catalog/service.ts";
import { name as nameField, shortText } from "../config/fields.ts";
import { icon } from "../config/services-schema.ts";
import { deriveSlug } from "../config/slug.ts";
import { url } from "../config/url-field.ts";
import { widgetTypeForImage } from "../providers/homepage/image-widget.ts";
import { containsPlaceholderSyntax } from "../providers/homepage/placeholders.ts";
import type { WidgetSpecContext } from "../providers/homepage/widget-check.ts";
import { type AutopilotLabels, parseAutopilotLabels } from "./autopilot-labels.ts";
import {
  COMPOSE_DEPENDS_ON_LABEL,
  composeDependencies,
  composeIdentity,
  type DiscoveredContainer,
  type DiscoveryWarning,
  type Refusal,
} from "./container.ts";
import { type LabelProblem, parseHomepageLabels, type RawLabelService } from "./homepage-labels.ts";
import { homepageSettings } from "./homepage-settings.ts";
import { fieldProblem, unreadableLabelValue } from "./label-check.ts";
import { widgetFromLabels } from "./label-widget.ts";
import { hrefFromTraefik } from "./traefik-href.ts";

export interface LabelReadOptions extends WidgetSpecContext {
  /** settings.yaml `instanceName` of the Homepage Autopilot writes for (`homepage.instance.NAME.*`). */
  readonly instanceName?: string;
}

export interface ContainerServices {
  readonly services: Service[];
  readonly refusals: Refusal[];
  readonly warnings: DiscoveryWarning[];
}

/** Built once: a zod schema per call would cost more than the whole check. */
const DESCRIPTION = shortText(200);
const READ_PREFIXES = ["homepage.", "autopilot.", "traefik.", COMPOSE_DEPENDS_ON_LABEL];

/**
 * The services a container's labels describe (usually one; `homepage.services[n]` makes more),
 * each field validated with the config file's rules and its source recorded. A service whose
 * labels break a rule is refused with every reason, each naming its label; the container's other
 * services and every other container are unaffected.
 */
export function servicesFromContainer(
  container: DiscoveredContainer,
  options: LabelReadOptions,
): ContainerServices {
  const parsed = parseHomepageLabels(container.labels, options.instanceName);
  const autopilot = parseAutopilotLabels(container.labels);
  const hasName = autopilot.labels.name !== undefined || autopilot.labels.group !== undefined;
  const result: ContainerServices = { services: [], refusals: [], warnings: [] };
  if (parsed.services.length === 0 && parsed.problems.length === 0 && !hasName) return result;

  const unreadable: LabelProblem[] = [];
  for (const [label, value] of Object.entries(container.labels)) {
    if (!READ_PREFIXES.some((prefix) => label.startsWith(prefix))) continue;
    const problem =
      unreadableLabelValue(value) ??
      (label.length > 256 ? "has a name longer than 256 characters" : undefined);
    if (problem) unreadable.push({ label, reason: problem });
  }
  const shared = [...unreadable, ...parsed.problems, ...autopilot.problems];
  const raws: RawLabelService[] =
    parsed.services.length > 0 ? [...parsed.services] : [{ value: {}, setBy: new Map() }];
  for (const raw of raws) {
    const built = buildService(container, raw, autopilot.labels, options);
    const problems = [...shared, ...built.problems];
    for (const warning of built.warnings) result.warnings.push({ container: container.name, ...warning });
    if (problems.length > 0 || !built.service) {
      result.refusals.push({
        origin: `container ${container.name}`,
        container: container.name,
        endpoint: container.endpoint,
        ...(built.name ? { service: built.name } : {}),
        problems,
      });
    } else {
      result.services.push(built.service);
    }
  }
  return result;
}

interface Built {
  service?: Service;
  name?: string;
  problems: LabelProblem[];
  warnings: LabelProblem[];
}

function buildService(
  container: DiscoveredContainer,
  raw: RawLabelService,
  ap: AutopilotLabels,
  options: LabelReadOptions,
): Built {
  const problems: LabelProblem[] = [];
  const warnings: LabelProblem[] = [];
  const sources: Record<string, FieldSource> = {};
  const value = raw.value;
  const labelOf = (path: string) => raw.setBy.get(path) ?? `homepage.${path}`;
  const fromLabel = (field: string, label: string) => {
    sources[field] = { kind: "label", detail: label };
  };
  const apLabel = (field: string) => ap.setBy.get(field) as string;

  const text = (
    field: "name" | "group" | "href" | "description" | "icon",
    schema: Parameters<typeof fieldProblem>[0],
  ) => {
    const own = field === "name" || field === "group" ? ap[field] : undefined;
    if (own !== undefined) {
      fromLabel(field, apLabel(field));
      return own;
    }
    const given = value[field];
    if (given === undefined) return undefined;
    if (typeof given !== "string") {
      problems.push({ label: labelOf(field), reason: "must be one value, not nested labels" });
      return undefined;
    }
    const problem = containsPlaceholderSyntax(given)
      ? "uses a {{…}} placeholder; Homepage would substitute a variable's value into it"
      : fieldProblem(schema, given);
    if (problem) {
      problems.push({ label: labelOf(field), reason: problem });
      return undefined;
    }
    fromLabel(field, labelOf(field));
    return given;
  };

  const name = text("name", nameField);
  const group = text("group", nameField);
  for (const [field, given] of [
    ["name", name],
    ["group", group],
  ] as const) {
    const attempted = value[field] !== undefined || container.labels[`autopilot.${field}`] !== undefined;
    if (given === undefined && !attempted) {
      problems.push({
        label: `homepage.${field}`,
        reason: `is missing: a service needs homepage.${field} (or autopilot.${field})`,
      });
    }
  }
  let slug = ap.slug;
  if (slug !== undefined) fromLabel("slug", apLabel("slug"));
  else if (name !== undefined) {
    slug = deriveSlug(name);
    if (slug === undefined)
      problems.push({ label: labelOf("name"), reason: "gives no usable slug; add autopilot.slug" });
    else sources.slug = { kind: "inferred", detail: "derived from the name" };
  }

  let href = text("href", url);
  if (href === undefined && value.href === undefined) {
    const inferred = hrefFromTraefik(container.labels);
    if (inferred) {
      href = inferred.href;
      sources.href = { kind: "inferred", detail: inferred.label };
    }
  }
  const description = text("description", DESCRIPTION);
  const iconName = text("icon", icon);
  const widgets = widgetsOf(
    container,
    value,
    labelOf,
    ap,
    { ...options, hrefKnown: href !== undefined },
    problems,
    warnings,
    sources,
  );
  const homepage = homepageSettings(value, labelOf, problems, warnings, sources);

  const sso = ap.sso ?? "none";
  sources.sso = ap.sso ? { kind: "label", detail: apLabel("sso") } : { kind: "inferred", detail: "default" };
  if (sso !== "none" && href === undefined) {
    problems.push({
      label: apLabel("sso"),
      reason: "needs an href (homepage.href, or a Traefik router rule to infer it from)",
    });
  }
  const compose = composeDependencies(container.labels);
  const dependsOn = [...new Set([...(ap.dependsOn ?? []), ...compose])];
  const dependencyLabels = [
    ...(ap.dependsOn ? [apLabel("dependsOn")] : []),
    ...(compose.length > 0 ? [COMPOSE_DEPENDS_ON_LABEL] : []),
  ];
  if (dependencyLabels.length > 0)
    sources.dependsOn = { kind: "label", detail: dependencyLabels.join(" + ") };
  for (const field of ["redirectUris", "health", "monitor", "heal", "alert", "update"] as const) {
    if (ap[field] !== undefined) fromLabel(field, apLabel(field));
  }
  if (problems.length > 0 || name === undefined || group === undefined || slug === undefined) {
    return { ...(name ? { name } : {}), problems, warnings };
  }
  const composeId = composeIdentity(container.labels);
  const service: Service = {
    name,
    slug,
    group,
    ...(href ? { href } : {}),
    ...(description ? { description } : {}),
    ...(iconName ? { icon: iconName } : {}),
    ...widgets,
    sso,
    redirectUris: ap.redirectUris ?? [],
    ...(ap.health ? { health: ap.health } : {}),
    dependsOn,
    monitor: ap.monitor ?? false,
    ...(ap.heal === undefined ? {} : { heal: ap.heal }),
    alert: ap.alert ?? false,
    ...(ap.update ? { update: ap.update } : {}),
    ...(Object.keys(homepage).length > 0 ? { homepage } : {}),
    container: {
      id: container.id,
      name: container.name,
      endpoint: container.endpoint,
      image: container.image,
      state: container.state,
      ...(container.health ? { health: container.health } : {}),
      ...(composeId ? { compose: composeId } : {}),
    },
    origin: `container ${container.name}`,
    sources,
  };
  return { service, name, problems, warnings };
}

function widgetsOf(
  container: DiscoveredContainer,
  value: Record<string, unknown>,
  labelOf: (path: string) => string,
  ap: AutopilotLabels,
  options: LabelReadOptions,
  problems: LabelProblem[],
  warnings: LabelProblem[],
  sources: Record<string, FieldSource>,
): { widget?: Widget; widgets?: Widget[] } {
  if (value.widget !== undefined && value.widgets !== undefined) {
    problems.push({
      label: labelOf("widgets"),
      reason: "cannot be used with homepage.widget.* on one service (Homepage then shows an API error)",
    });
    return {};
  }
  const collect = (result: ReturnType<typeof widgetFromLabels>) => {
    problems.push(...result.problems);
    warnings.push(...result.warnings);
    return result.widget;
  };
  const imageType = widgetTypeForImage(container.image);
  if (value.widget !== undefined) {
    let raw = value.widget;
    // Options given by label but no type: the type the image names (linuxserver/sonarr → sonarr).
    if (isPlainObject(raw) && raw.type === undefined && imageType !== undefined) {
      raw = { type: imageType, ...raw };
      sources["widget.type"] = { kind: "inferred", detail: `image ${container.image}` };
    }
    const widget = collect(widgetFromLabels(raw, "widget", labelOf, ap.widgetSecrets, options));
    sources.widget = {
      kind: "label",
      detail: sources["widget.type"] ? "homepage.widget.* (type from the image)" : labelOf("widget.type"),
    };
    return widget ? { widget } : {};
  }
  if (value.widgets !== undefined) {
    if (!Array.isArray(value.widgets)) {
      problems.push({ label: labelOf("widgets"), reason: "must be indexed: homepage.widgets[0].type=…" });
      return {};
    }
    const list = value.widgets.map((item, index) =>
      collect(
        widgetFromLabels(item, `widgets.${index}`, labelOf, index === 0 ? ap.widgetSecrets : {}, options),
      ),
    );
    sources.widgets = { kind: "label", detail: labelOf("widgets.0.type") };
    return list.every((widget) => widget !== undefined) ? { widgets: list as Widget[] } : {};
  }
  const type = imageType;
  if (type === undefined) {
    if (Object.keys(ap.widgetSecrets).length > 0) {
      const label = ap.setBy.get(`widget.${Object.keys(ap.widgetSecrets)[0]}`) as string;
      problems.push({
        label,
        reason: "gives a widget credential, but the service has no widget (add homepage.widget.type)",
      });
    }
    return {};
  }
  sources.widget = { kind: "inferred", detail: `image ${container.image}` };
  return { widget: { type, ...ap.widgetSecrets } };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
