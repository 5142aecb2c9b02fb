import { isDeepStrictEqual } from "node:util";
import type { FieldSource, Service } from "./service.ts";

/**
 * One service declared in the config and described by a container's labels. The precedence is
 * one rule, field by field: **config > label > inferred**. A field the config file sets wins; a
 * field it leaves out (or only has a default for) comes from the labels; what neither says may be
 * inferred (an href from a Traefik rule, a widget type from the image). A label that says
 * something else than the config is reported, never silently dropped.
 */
const RANK: Readonly<Record<FieldSource["kind"], number>> = { config: 3, label: 2, inferred: 1 };

/** The service fields that carry a source, in the order `discover` shows them. */
export const SERVICE_FIELDS = [
  "name",
  "slug",
  "group",
  "href",
  "description",
  "icon",
  "widget",
  "widgets",
  "sso",
  "redirectUris",
  "health",
  "dependsOn",
  "monitor",
  "heal",
  "alert",
  "update",
] as const;

const FIELDS = SERVICE_FIELDS;

export interface MergeConflict {
  readonly field: string;
  readonly kept: FieldSource;
  readonly ignored: FieldSource;
  readonly ignoredValue: unknown;
}

export function mergeServices(
  config: Service,
  discovered: Service,
): { service: Service; conflicts: MergeConflict[] } {
  const merged: Record<string, unknown> = { ...config };
  const sources: Record<string, FieldSource> = { ...config.sources };
  const conflicts: MergeConflict[] = [];
  const fromConfig = config as unknown as Record<string, unknown>;
  const fromLabels = discovered as unknown as Record<string, unknown>;
  for (const field of FIELDS) {
    const mine = config.sources?.[field];
    const theirs = discovered.sources?.[field];
    if (!theirs) continue;
    if (mine && RANK[mine.kind] >= RANK[theirs.kind]) {
      if (theirs.kind === "label" && !isDeepStrictEqual(fromConfig[field], fromLabels[field])) {
        conflicts.push({ field, kept: mine, ignored: theirs, ignoredValue: fromLabels[field] });
      }
      continue;
    }
    if (fromLabels[field] === undefined) delete merged[field];
    else merged[field] = fromLabels[field];
    sources[field] = theirs;
  }
  // One tile cannot have both (Homepage then shows an API error): the config's widget wins.
  const widgetsSource = discovered.sources?.widgets;
  if (config.widget && discovered.widgets && sources.widget?.kind === "config" && widgetsSource) {
    delete merged.widgets;
    delete sources.widgets;
    conflicts.push({
      field: "widgets",
      kept: sources.widget,
      ignored: widgetsSource,
      ignoredValue: discovered.widgets,
    });
  }
  if (discovered.homepage) {
    merged.homepage = discovered.homepage;
    for (const [field, source] of Object.entries(discovered.sources ?? {}))
      if (field.startsWith("homepage.")) sources[field] = source;
  }
  if (discovered.container) merged.container = discovered.container;
  merged.origin = `${config.origin} + ${discovered.origin}`;
  merged.sources = sources;
  return { service: merged as unknown as Service, conflicts };
}

export function conflictMessage(service: Service, conflict: MergeConflict): string {
  return `service ${service.name}: ${conflict.field} from ${conflict.kept.kind} ${conflict.kept.detail} wins over label ${conflict.ignored.detail} (${JSON.stringify(conflict.ignoredValue)})`;
}
