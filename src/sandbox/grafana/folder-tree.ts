import type { FolderRecord, OrgRecord } from "./models.ts";

/** Nested-folder arithmetic shared by folders, dashboards and search. */

/** How many levels a folder tree may have (a root-level folder is level 1). */
export const MAX_FOLDER_DEPTH = 8;

/** The folder's ancestors, from the root down (the folder itself excluded). */
export function ancestors(org: OrgRecord, folder: FolderRecord): FolderRecord[] {
  const chain: FolderRecord[] = [];
  let parent = org.folders.get(folder.parentUid);
  while (parent && chain.length <= MAX_FOLDER_DEPTH) {
    chain.unshift(parent);
    parent = org.folders.get(parent.parentUid);
  }
  return chain;
}

/** The level of a folder: 1 at the root. */
export function depth(org: OrgRecord, folder: FolderRecord): number {
  return ancestors(org, folder).length + 1;
}

/** The folder and every folder below it. */
export function subtree(org: OrgRecord, root: FolderRecord): FolderRecord[] {
  const found = [root];
  for (let i = 0; i < found.length; i++) {
    const current = found[i] as FolderRecord;
    for (const folder of org.folders.values()) if (folder.parentUid === current.uid) found.push(folder);
  }
  return found;
}

/** Levels in the subtree below and including the folder: 1 for a leaf. */
export function height(org: OrgRecord, root: FolderRecord): number {
  const children = [...org.folders.values()].filter((folder) => folder.parentUid === root.uid);
  return 1 + Math.max(0, ...children.map((child) => height(org, child)));
}
