import { z } from "zod";
import { diffFields } from "../../../engine/field-diff.ts";
import type { ResourceKind } from "../../../engine/resource-kind.ts";
import { AutopilotError } from "../../../errors/autopilot-error.ts";
import { ConflictError } from "../../../http/errors.ts";
import { call, deleteIfExists, getIfExists } from "../api.ts";
import { goneDuringApply } from "../gone.ts";
import type { GrafanaSession } from "../session.ts";
import { searchAll } from "./search.ts";

export interface FolderSpec extends Record<string, unknown> {
  uid: string;
  title: string;
  /** "" for a folder at the root. */
  parentUid: string;
}

export interface ObservedFolder {
  uid: string;
  title: string;
  parentUid: string;
  version?: number;
}

const folderSchema = z
  .object({
    uid: z.string(),
    title: z.string(),
    parentUid: z.string().optional(),
    version: z.number().optional(),
  })
  .passthrough();

const BY_UID = "/api/folders/{uid}";

/**
 * Folders, keyed by uid, nested through `parentUid`. Listed with one search (folders at every
 * depth, parents included) instead of walking the tree a level at a time. A new parent is set
 * with POST /move — never delete and recreate, which would take every dashboard inside along.
 * A title change is a PUT with the version just read; 412 (changed meanwhile) is re-read and
 * retried once. A delete is refused while dashboards Autopilot does not manage are inside:
 * Grafana would delete them with the folder.
 */
export const folderKind: ResourceKind<FolderSpec, ObservedFolder, GrafanaSession> = {
  kind: "folder",
  keyOf: (folder) => folder.uid,
  async list(session) {
    const hits = await searchAll(session, "dash-folder");
    return hits.map((hit) => ({ uid: hit.uid, title: hit.title, parentUid: hit.folderUid ?? "" }));
  },
  read: (session, uid) => readFolder(session, uid),
  diff: (spec, folder) => diffFields(spec, { ...folder }),
  async create(session, spec) {
    const created = await call(session.http, "POST", "/api/folders", folderSchema, "folder", {
      route: "/api/folders",
      body: { uid: spec.uid, title: spec.title, ...(spec.parentUid ? { parentUid: spec.parentUid } : {}) },
    });
    return observedOf(created);
  },
  async update(session, spec, folder, changes) {
    let current = folder;
    if (changes.some((change) => change.path === "parentUid")) {
      const moved = await call(session.http, "POST", `${folderPath(spec.uid)}/move`, folderSchema, "folder", {
        route: "/api/folders/{uid}/move",
        body: { parentUid: spec.parentUid },
      });
      current = observedOf(moved);
    }
    if (current.title !== spec.title) current = await retitle(session, spec);
    return current;
  },
  async delete(session, folder) {
    await refuseWhileHoldingDashboards(session, folder.uid);
    await deleteIfExists(session.http, folderPath(folder.uid), BY_UID);
  },
  output: (folder, field) => (folder as unknown as Record<string, unknown>)[field],
};

function folderPath(uid: string): string {
  return `/api/folders/${encodeURIComponent(uid)}`;
}

function observedOf(folder: z.infer<typeof folderSchema>): ObservedFolder {
  return {
    uid: folder.uid,
    title: folder.title,
    parentUid: folder.parentUid ?? "",
    ...(folder.version === undefined ? {} : { version: folder.version }),
  };
}

async function readFolder(session: GrafanaSession, uid: string): Promise<ObservedFolder | undefined> {
  const found = await getIfExists(session.http, folderPath(uid), folderSchema, "folder", BY_UID);
  return found && observedOf(found);
}

async function retitle(session: GrafanaSession, spec: FolderSpec): Promise<ObservedFolder> {
  for (let attempt = 1; ; attempt++) {
    const fresh = await readFolder(session, spec.uid);
    if (!fresh) throw goneDuringApply("folder", spec.uid);
    if (fresh.title === spec.title) return fresh;
    try {
      const saved = await call(session.http, "PUT", folderPath(spec.uid), folderSchema, "folder", {
        route: BY_UID,
        body: { title: spec.title, version: fresh.version },
      });
      return observedOf(saved);
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= 2) throw error;
    }
  }
}

async function refuseWhileHoldingDashboards(session: GrafanaSession, uid: string): Promise<void> {
  const folders = await searchAll(session, "dash-folder");
  const subtree = new Set([uid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const folder of folders) {
      if (folder.folderUid && subtree.has(folder.folderUid) && !subtree.has(folder.uid)) {
        subtree.add(folder.uid);
        grew = true;
      }
    }
  }
  const dashboards = await searchAll(session, "dash-db", [...subtree]);
  if (dashboards.length > 0) {
    throw new AutopilotError(
      "conflict",
      `folder ${uid} still holds ${dashboards.length} dashboard(s) Autopilot does not manage; deleting it would delete them too`,
      { hint: "move those dashboards out of the folder in Grafana, then apply again" },
    );
  }
}
