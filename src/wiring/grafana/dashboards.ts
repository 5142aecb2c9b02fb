import { basename } from "node:path";
import type { Service } from "../../catalog/service.ts";
import type { HomelabConfig } from "../../config/schema.ts";
import type { DesiredResource, ResourceRef } from "../../engine/resource.ts";
import type { DashboardSpec } from "../../providers/grafana/kinds/dashboards.ts";
import { autopilotDashboard } from "./autopilot-dashboard.ts";
import { prometheusRef } from "./datasource-ref.ts";
import { AUTOPILOT_FOLDER_TITLE, type Folders } from "./folders.ts";
import { grafanaRef, uidFromName } from "./refs.ts";
import { servicesDashboard } from "./services-dashboard.ts";

/** Reads the JSON model of a dashboard file, by the path as the config writes it. */
export type DashboardReader = (file: string) => Record<string, unknown>;

/**
 * User dashboards from monitoring.dashboards (the uid from the config, else the file's, else
 * derived from the file name) and the built-in ones in the Autopilot folder: Autopilot's own,
 * and the lab's services when any has `monitor: true`.
 */
export function dashboardResources(
  config: HomelabConfig,
  services: readonly Service[],
  folders: Folders,
  prometheus: { uid: string | undefined; ref: ResourceRef | undefined },
  readDashboard: DashboardReader | undefined,
): DesiredResource<DashboardSpec>[] {
  const resources: DesiredResource<DashboardSpec>[] = [];
  const after = (folder: string | undefined, extra: readonly (ResourceRef | undefined)[] = []) =>
    [...(folder === undefined ? [] : [folders.refOf(folder)]), ...extra].filter(
      (ref): ref is ResourceRef => ref !== undefined,
    );
  (config.monitoring?.dashboards ?? []).forEach((entry, index) => {
    if (!readDashboard) throw new Error("monitoring.dashboards needs a dashboard file reader");
    const model = readDashboard(entry.file);
    const uid =
      entry.uid ??
      (typeof model.uid === "string" && model.uid !== ""
        ? model.uid
        : uidFromName(basename(entry.file, ".json")));
    resources.push({
      ref: grafanaRef("dashboard", uid),
      origin: `config monitoring.dashboards[${index}] (${entry.file})`,
      dependsOn: after(entry.folder),
      spec: { uid, folderUid: entry.folder === undefined ? "" : folders.uidOf(entry.folder), model },
    });
  });
  const datasource = prometheusRef(prometheus.uid);
  const builtIn = (model: Record<string, unknown>) => {
    const uid = model.uid as string;
    if (resources.some((resource) => resource.ref.key === uid)) return;
    resources.push({
      ref: grafanaRef("dashboard", uid),
      origin: "built-in dashboard",
      dependsOn: after(AUTOPILOT_FOLDER_TITLE, [prometheus.ref]),
      spec: { uid, folderUid: folders.uidOf(AUTOPILOT_FOLDER_TITLE), model },
    });
  };
  builtIn(autopilotDashboard(datasource));
  if (services.some((service) => service.monitor)) builtIn(servicesDashboard(datasource, services));
  return resources;
}
