import type { HomelabConfig } from "../../config/schema.ts";
import type { DesiredResource, ResourceRef } from "../../engine/resource.ts";
import type { FolderSpec } from "../../providers/grafana/kinds/folders.ts";
import { grafanaRef, uidFromName } from "./refs.ts";

export const AUTOPILOT_FOLDER_UID = "autopilot";
export const AUTOPILOT_FOLDER_TITLE = "Autopilot";

export interface Folders {
  readonly resources: DesiredResource<FolderSpec>[];
  /** The uid of the folder a dashboard or rule names by title. */
  uidOf(title: string): string;
  refOf(title: string): ResourceRef;
}

/**
 * monitoring.folders, the "Autopilot" folder of the built-in dashboards, and a folder for every
 * title a dashboard or alert rule names without declaring it (uid derived from the title).
 * Dashboards and rules name folders by title; the first declared folder with that title wins.
 */
export function folderResources(config: HomelabConfig, referencedTitles: readonly string[]): Folders {
  const declared = config.monitoring?.folders ?? [];
  const byTitle = new Map<string, string>();
  const resources: DesiredResource<FolderSpec>[] = [];
  const declaredUids = new Set(declared.map((folder) => folder.uid ?? uidFromName(folder.title)));
  declared.forEach((folder, index) => {
    const uid = folder.uid ?? uidFromName(folder.title);
    if (!byTitle.has(folder.title)) byTitle.set(folder.title, uid);
    resources.push({
      ref: grafanaRef("folder", uid),
      origin: `config monitoring.folders[${index}]`,
      ...(folder.parent && declaredUids.has(folder.parent)
        ? { dependsOn: [grafanaRef("folder", folder.parent)] }
        : {}),
      spec: { uid, title: folder.title, parentUid: folder.parent ?? "" },
    });
  });
  const implicit = (title: string, uid: string, origin: string) => {
    if (byTitle.has(title) || declaredUids.has(uid)) return;
    byTitle.set(title, uid);
    resources.push({ ref: grafanaRef("folder", uid), origin, spec: { uid, title, parentUid: "" } });
  };
  implicit(AUTOPILOT_FOLDER_TITLE, AUTOPILOT_FOLDER_UID, "built-in dashboards");
  for (const title of referencedTitles)
    implicit(title, uidFromName(title), "named by a dashboard or alert rule");
  const uidOf = (title: string) => byTitle.get(title) ?? uidFromName(title);
  return { resources, uidOf, refOf: (title) => grafanaRef("folder", uidOf(title)) };
}
