import type { DiscoveredContainer, DiscoveryWarning, Refusal } from "../discovery/container.ts";
import type { DiscoveryFailure } from "../discovery/docker-discovery.ts";
import { checkWidgetSpec, type WidgetSpecContext } from "../providers/homepage/widget-check.ts";
import { conflictMessage, mergeServices } from "./merge.ts";
import type { Service } from "./service.ts";

/**
 * Every service of the lab: the config's, merged with what the containers' labels describe
 * (config > label > inferred, see merge.ts). Two services that would share a Homepage group and
 * name, or a slug, are an error and both are left out: Homepage's widget proxy finds a widget by
 * group and name, so one tile would show the other's numbers, and the slug keys SSO objects.
 * Replicas of one Compose service (same project, service and labels) count once.
 */
export interface Catalogue {
  readonly services: Service[];
  /** Services whose labels broke a rule; each reason names the container and the label. */
  readonly refused: Refusal[];
  /** Services left out because another one has their group and name, or slug. */
  readonly errors: string[];
  /** Label conflicts with the config, ignored labels, bad `fields` lists. */
  readonly warnings: string[];
  /** Every container seen, labelled or not (the dependency graph names unlabelled ones). */
  readonly containers: DiscoveredContainer[];
  /** Docker endpoints that could not be listed: their containers are unknown, not gone. */
  readonly failures: DiscoveryFailure[];
}

export interface DiscoveredServices {
  readonly services: readonly Service[];
  readonly refusals: readonly Refusal[];
  readonly warnings: readonly DiscoveryWarning[];
  readonly containers: readonly DiscoveredContainer[];
  readonly failures: readonly DiscoveryFailure[];
}

const placeKey = (service: Service) => `${service.group}\u0000${service.name}`;

export function buildCatalogue(
  config: readonly Service[],
  discovered?: DiscoveredServices,
  context: WidgetSpecContext = { autoCredentials: new Set() },
): Catalogue {
  const errors: string[] = [];
  const warnings = (discovered?.warnings ?? []).map(
    (warning) => `container ${warning.container}: label ${warning.label} ${warning.reason}`,
  );
  const refused: Refusal[] = [];
  const services: Service[] = [];
  for (const service of config) {
    const refusal = configWidgetRefusal(service, context, warnings);
    if (refusal) refused.push(refusal);
    else services.push({ ...service });
  }
  const fromContainers = withoutReplicas(discovered?.services ?? []);
  const rejected = new Set<Service>();

  // Containers describing the same service as each other (not replicas): all left out.
  for (const group of collisions(fromContainers)) {
    for (const service of group) rejected.add(service);
    errors.push(
      `${group.map((service) => service.origin).join(" and ")} describe the same service ${describe(group[0] as Service)}; rename one (homepage.name / autopilot.slug)`,
    );
  }
  // Containers match config services only (containers matching each other were handled above).
  const configBySlug = new Map<string, number>();
  const configByPlace = new Map<string, number>();
  services.forEach((service, index) => {
    if (!configBySlug.has(service.slug)) configBySlug.set(service.slug, index);
    if (!configByPlace.has(placeKey(service))) configByPlace.set(placeKey(service), index);
  });
  for (const service of fromContainers) {
    if (rejected.has(service)) continue;
    const indexes = [
      ...new Set(
        [configBySlug.get(service.slug), configByPlace.get(placeKey(service))].filter((i) => i !== undefined),
      ),
    ];
    if (indexes.length > 1) {
      errors.push(
        `${service.origin} matches ${indexes.map((i) => services[i]?.origin).join(" and ")} (one by slug, one by group and name); left out`,
      );
      continue;
    }
    const index = indexes[0];
    const candidate = index === undefined ? undefined : services[index];
    if (index === undefined || !candidate) {
      services.push(service);
      continue;
    }
    if (candidate.container) {
      errors.push(
        `${service.origin} and ${candidate.origin} describe the same service ${describe(service)}; left out`,
      );
      continue;
    }
    const { service: merged, conflicts } = mergeServices(candidate, service);
    services[index] = merged;
    for (const conflict of conflicts) warnings.push(conflictMessage(merged, conflict));
  }
  // After merging, a label may have moved a config service onto another's place.
  const clashes = collisions(services);
  const clashing = new Set(clashes.flat());
  for (const group of clashes) {
    errors.push(
      `${group.map((s) => s.origin).join(" and ")} share ${describe(group[0] as Service)}; all left out`,
    );
  }
  return {
    services: services.filter((service) => !clashing.has(service)),
    refused: [...refused, ...(discovered?.refusals ?? [])],
    errors,
    warnings,
    containers: [...(discovered?.containers ?? [])],
    failures: [...(discovered?.failures ?? [])],
  };
}

/** A config widget Homepage could not show (unknown type, missing option) refuses its service, as a label would. */
function configWidgetRefusal(
  service: Service,
  context: WidgetSpecContext,
  warnings: string[],
): Refusal | undefined {
  if (!service.widget) return undefined;
  const at = service.sources?.widget?.detail ?? `${service.origin}.widget`;
  const check = checkWidgetSpec(service.widget, { ...context, hrefKnown: service.href !== undefined });
  for (const issue of check.warnings)
    warnings.push(`${service.origin}: ${at}.${issue.option} ${issue.reason}`);
  if (check.errors.length === 0) return undefined;
  return {
    origin: service.origin,
    service: service.name,
    problems: check.errors.map((issue) => ({ label: `${at}.${issue.option}`, reason: issue.reason })),
  };
}

function describe(service: Service): string {
  return `${service.group}/${service.name} (slug ${service.slug})`;
}

/** Groups of services sharing a slug or a group+name (connected through either). */
function collisions(services: readonly Service[]): Service[][] {
  const parent = services.map((_, index) => index);
  const find = (index: number): number => {
    while (parent[index] !== index) index = parent[index] as number;
    return index;
  };
  const firstBy = new Map<string, number>();
  services.forEach((service, index) => {
    for (const key of [`slug:${service.slug}`, `place:${placeKey(service)}`]) {
      const first = firstBy.get(key);
      if (first === undefined) firstBy.set(key, index);
      else parent[find(index)] = find(first);
    }
  });
  const groups = new Map<number, Service[]>();
  services.forEach((service, index) => {
    const root = find(index);
    groups.set(root, [...(groups.get(root) ?? []), service]);
  });
  return [...groups.values()].filter((group) => group.length > 1);
}

/** Containers of one Compose service scaled up carry the same labels: keep the first by name. */
function withoutReplicas(services: readonly Service[]): Service[] {
  const seen = new Set<string>();
  return [...services]
    .sort((a, b) => (a.container?.name ?? "").localeCompare(b.container?.name ?? ""))
    .filter((service) => {
      const compose = service.container?.compose;
      if (!compose) return true;
      const key = `${service.container?.endpoint}|${compose.project}|${compose.service}|${placeKey(service)}|${service.slug}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
