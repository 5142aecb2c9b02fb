import type { HomelabConfig } from "../../config/schema.ts";
import type { DesiredResource } from "../../engine/resource.ts";
import type { DatasourceSpec } from "../../providers/grafana/kinds/datasources.ts";
import { grafanaRef, uidFromName } from "./refs.ts";

/** The datasource Autopilot creates for `targets.prometheus`. */
export const PROMETHEUS_DATASOURCE_UID = "autopilot-prometheus";
export const PROMETHEUS_DATASOURCE_NAME = "Autopilot Prometheus";

type Datasource = NonNullable<HomelabConfig["monitoring"]>["datasources"][number];

export function datasourceUid(datasource: Pick<Datasource, "uid" | "name">): string {
  return datasource.uid ?? uidFromName(datasource.name);
}

/**
 * The uid of the Prometheus datasource built-in dashboards and rules query: Autopilot's own
 * when `targets.prometheus` is set, else the config's default Prometheus datasource, else its
 * first one; undefined when there is none.
 */
export function prometheusDatasourceUid(config: HomelabConfig): string | undefined {
  if (config.targets.prometheus) return PROMETHEUS_DATASOURCE_UID;
  const candidates = (config.monitoring?.datasources ?? []).filter((source) => source.type === "prometheus");
  const chosen = candidates.find((source) => source.isDefault) ?? candidates[0];
  return chosen && datasourceUid(chosen);
}

/** monitoring.datasources, plus the Prometheus datasource for `targets.prometheus`. */
export function datasourceResources(config: HomelabConfig): DesiredResource<DatasourceSpec>[] {
  const declared = config.monitoring?.datasources ?? [];
  const resources = declared.map(
    (source, index): DesiredResource<DatasourceSpec> => ({
      ref: grafanaRef("datasource", datasourceUid(source)),
      origin: `config monitoring.datasources[${index}]`,
      spec: {
        uid: datasourceUid(source),
        name: source.name,
        type: source.type,
        url: source.url,
        access: source.access ?? "proxy",
        isDefault: source.isDefault ?? false,
        jsonData: source.jsonData ?? {},
        ...(source.secureJsonData ? { secureJsonData: { ...source.secureJsonData } } : {}),
      },
    }),
  );
  const prometheus = config.targets.prometheus;
  if (prometheus && !declared.some((source) => datasourceUid(source) === PROMETHEUS_DATASOURCE_UID)) {
    resources.push({
      ref: grafanaRef("datasource", PROMETHEUS_DATASOURCE_UID),
      origin: "config targets.prometheus",
      spec: {
        uid: PROMETHEUS_DATASOURCE_UID,
        name: PROMETHEUS_DATASOURCE_NAME,
        type: "prometheus",
        url: prometheus.url,
        access: "proxy",
        isDefault: false,
        jsonData: {},
      },
    });
  }
  return resources;
}

/** The refs of datasources the desired state declares, to order dashboards and rules after them. */
export function declaredDatasource(resources: readonly DesiredResource[], uid: string | undefined) {
  return resources.find((resource) => resource.ref.kind === "datasource" && resource.ref.key === uid)?.ref;
}
