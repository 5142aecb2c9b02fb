import type { SimResponse } from "../../common/sim-server.ts";
import { roleIncludes } from "../auth.ts";
import { failLegacy, failPublic } from "../errors.ts";
import { ancestors, depth, height, MAX_FOLDER_DEPTH, subtree } from "../folder-tree.ts";
import type { FolderRecord, OrgRecord } from "../models.ts";
import {
  bodyObject,
  bool,
  type GrafanaRoute,
  json,
  num,
  type Principal,
  queryBool,
  queryInt,
  type RouteContext,
  str,
} from "../route.ts";
import { folderUrl, uidProblem } from "../slug.ts";
import { shortUid } from "../state.ts";

/**
 * /api/folders (reference §4): nested folders, optimistic locking with 412, moves only through
 * /move, and a delete that takes every dashboard (and, when forced, every alert rule) with it.
 */
const FOLDER_NOT_FOUND = { status: "not-found", message: "folder not found" };

export function folderRoutes(): GrafanaRoute[] {
  return [
    {
      method: "GET",
      path: "/api/folders",
      access: { role: "Viewer", permission: "folders:read" },
      handle: listFolders,
    },
    {
      method: "GET",
      path: "/api/folders/:uid",
      access: { role: "Viewer", permission: "folders:read" },
      handle: ({ org, params, principal }) =>
        json(200, folderDto(org, findFolder(org, params.uid), principal, true)),
    },
    {
      method: "POST",
      path: "/api/folders",
      access: { role: "Editor", permission: "folders:create" },
      bindsBody: true,
      handle: createFolder,
    },
    {
      method: "PUT",
      path: "/api/folders/:uid",
      access: { role: "Editor", permission: "folders:write" },
      bindsBody: true,
      handle: updateFolder,
    },
    {
      method: "POST",
      path: "/api/folders/:uid/move",
      access: { role: "Editor", permission: "folders:write" },
      bindsBody: true,
      handle: moveFolder,
    },
    {
      method: "DELETE",
      path: "/api/folders/:uid",
      access: { role: "Editor", permission: "folders:delete" },
      handle: deleteFolder,
    },
  ];
}

export function findFolder(org: OrgRecord, uid: string | undefined): FolderRecord {
  return (uid === undefined ? undefined : org.folders.get(uid)) ?? notFound();
}

function notFound(): never {
  failLegacy(404, FOLDER_NOT_FOUND.message, { status: FOLDER_NOT_FOUND.status });
}

export function folderDto(
  org: OrgRecord,
  folder: FolderRecord,
  principal: Principal,
  withParents: boolean,
): Record<string, unknown> {
  const canEdit = roleIncludes(principal.role, "Editor");
  const dto: Record<string, unknown> = {
    id: folder.id,
    uid: folder.uid,
    orgId: folder.orgId,
    title: folder.title,
    url: folderUrl(folder.uid, folder.title),
    hasAcl: false,
    canSave: canEdit,
    canEdit,
    canAdmin: roleIncludes(principal.role, "Admin"),
    canDelete: canEdit,
    createdBy: folder.createdBy,
    created: folder.created,
    updatedBy: folder.updatedBy,
    updated: folder.updated,
    version: folder.version,
  };
  if (folder.parentUid !== "") dto.parentUid = folder.parentUid;
  const chain = withParents ? ancestors(org, folder) : [];
  if (chain.length > 0) dto.parents = chain.map((parent) => folderDto(org, parent, principal, false));
  return dto;
}

function listFolders({ org, query }: RouteContext): SimResponse {
  const parentUid = query.get("parentUid") ?? "";
  const limit = queryInt(query, "limit") || 1000;
  const page = Math.max(queryInt(query, "page"), 1);
  const children = [...org.folders.values()]
    .filter((folder) => folder.parentUid === parentUid)
    .sort((a, b) => a.title.localeCompare(b.title));
  return json(
    200,
    children.slice((page - 1) * limit, page * limit).map((folder) => ({
      id: folder.id,
      uid: folder.uid,
      title: folder.title,
      ...(folder.parentUid === "" ? {} : { parentUid: folder.parentUid }),
    })),
  );
}

function requireTitle(title: string): string {
  if (title.trim() === "") failLegacy(400, "folder title cannot be empty");
  return title;
}

/** Only with titleUniqueness "per-folder": the 409 some 9.x–11.x releases gave for a sibling with the same title. */
function checkTitle(context: RouteContext, parentUid: string, title: string, self?: FolderRecord): void {
  if (context.state.titleUniqueness !== "per-folder") return;
  const clash = [...context.org.folders.values()].some(
    (f) => f !== self && f.parentUid === parentUid && f.title.toLowerCase() === title.toLowerCase(),
  );
  if (clash) failLegacy(409, "a folder or dashboard in the general folder with the same name already exists");
}

function createFolder(context: RouteContext): SimResponse {
  const { org, principal, state } = context;
  const body = bodyObject(context);
  const title = requireTitle(str(body.title));
  const uid = str(body.uid) || shortUid();
  const problem = uidProblem(uid);
  if (problem) failLegacy(400, problem);
  if (uid === "general") failLegacy(400, "invalid uid for folder provided");
  if (org.folders.has(uid) || org.dashboards.has(uid))
    failLegacy(409, "a folder/dashboard with the same uid already exists");
  const parentUid = str(body.parentUid);
  if (parentUid !== "" && depth(org, findFolder(org, parentUid)) >= MAX_FOLDER_DEPTH) tooDeep();
  checkTitle(context, parentUid, title);
  const now = state.clock.iso();
  const folder: FolderRecord = {
    id: state.nextId("dashboard"),
    uid,
    orgId: org.id,
    title,
    description: str(body.description),
    parentUid,
    version: 1,
    created: now,
    updated: now,
    createdBy: principal.login,
    updatedBy: principal.login,
  };
  org.folders.set(uid, folder);
  return json(200, folderDto(org, folder, principal, true));
}

function tooDeep(): never {
  failLegacy(400, "Maximum nested folder depth reached");
}

function updateFolder(context: RouteContext): SimResponse {
  const { org, principal, state } = context;
  const folder = findFolder(org, context.params.uid);
  const body = bodyObject(context);
  if (!bool(body.overwrite) && num(body.version) !== folder.version) {
    failLegacy(412, "the folder has been changed by someone else", { status: "version-mismatch" });
  }
  // A parentUid in the body is ignored: only /move changes the parent.
  const title = body.title === undefined ? folder.title : requireTitle(str(body.title));
  checkTitle(context, folder.parentUid, title, folder);
  folder.title = title;
  if (typeof body.description === "string") folder.description = body.description;
  folder.version += 1;
  folder.updated = state.clock.iso();
  folder.updatedBy = principal.login;
  return json(200, folderDto(org, folder, principal, true));
}

function moveFolder(context: RouteContext): SimResponse {
  const { org, principal, state } = context;
  const folder = findFolder(org, context.params.uid);
  const parentUid = str(bodyObject(context).parentUid);
  if (parentUid === folder.uid) failLegacy(400, "folder cannot be parent of itself");
  if (parentUid !== "") {
    const parent = findFolder(org, parentUid);
    if (ancestors(org, parent).includes(folder)) {
      failPublic(400, "folder.circular-reference", "Circular reference detected");
    }
    if (depth(org, parent) + height(org, folder) > MAX_FOLDER_DEPTH) tooDeep();
  }
  checkTitle(context, parentUid, folder.title, folder);
  folder.parentUid = parentUid;
  folder.version += 1;
  folder.updated = state.clock.iso();
  folder.updatedBy = principal.login;
  return json(200, folderDto(org, folder, principal, true));
}

function deleteFolder({ org, params, query }: RouteContext): SimResponse {
  const folder = findFolder(org, params.uid);
  const doomed = new Set(subtree(org, folder).map((f) => f.uid));
  const rules = [...org.alertRules.values()].filter((rule) => doomed.has(rule.folderUid));
  if (rules.length > 0 && !queryBool(query, "forceDeleteRules")) {
    failLegacy(400, "folder cannot be deleted: folder contains alert rules");
  }
  for (const rule of rules) org.alertRules.delete(rule.uid);
  for (const dashboard of [...org.dashboards.values()])
    if (doomed.has(dashboard.folderUid)) org.dashboards.delete(dashboard.uid);
  for (const uid of doomed) org.folders.delete(uid);
  return json(200, { title: folder.title, message: `Folder ${folder.title} deleted`, id: folder.id });
}
