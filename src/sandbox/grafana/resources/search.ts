import type { SimResponse } from "../../common/sim-server.ts";
import { failLegacy } from "../errors.ts";
import type { FolderRecord, OrgRecord } from "../models.ts";
import { type GrafanaRoute, json, queryInt, type RouteContext } from "../route.ts";
import { dashboardUrl, folderUrl, slugify } from "../slug.ts";

/**
 * GET /api/search (reference §5): folders and dashboards in one list. List parameters are
 * repeated keys (`folderUIDs=a&folderUIDs=b`); a comma-separated value is one uid that matches
 * nothing, as on the real server.
 */
const MAX_LIMIT = 5000;

export function searchRoutes(): GrafanaRoute[] {
  return [{ method: "GET", path: "/api/search", access: { role: "SignedIn" }, handle: search }];
}

interface Hit {
  kind: "dash-db" | "dash-folder";
  id: number;
  uid: string;
  title: string;
  tags: string[];
  parentUid: string;
  url: string;
}

function search({ org, query }: RouteContext): SimResponse {
  const limit = queryInt(query, "limit") || 1000;
  if (limit > MAX_LIMIT) failLegacy(422, `Limit is above maximum allowed (${MAX_LIMIT}), use page instead`);
  const page = Math.max(queryInt(query, "page"), 1);
  const type = query.get("type");
  const text = (query.get("query") ?? "").toLowerCase();
  const tags = query.getAll("tag");
  const uids = query.getAll("dashboardUIDs");
  const folderUids = query.getAll("folderUIDs").map((uid) => (uid === "general" ? "" : uid));

  const hits = allHits(org).filter(
    (hit) =>
      (type === null || type === hit.kind) &&
      hit.title.toLowerCase().includes(text) &&
      tags.every((tag) => hit.tags.includes(tag)) &&
      (uids.length === 0 || uids.includes(hit.uid)) &&
      (folderUids.length === 0 || folderUids.includes(hit.parentUid)),
  );
  const descending = query.get("sort") === "alpha-desc";
  hits.sort((a, b) => {
    const order = a.title.toLowerCase().localeCompare(b.title.toLowerCase());
    return descending ? -order : order;
  });
  return json(
    200,
    hits.slice((page - 1) * limit, page * limit).map((hit) => toDto(org, hit)),
  );
}

function allHits(org: OrgRecord): Hit[] {
  const folders: Hit[] = [...org.folders.values()].map((f) => ({
    kind: "dash-folder",
    id: f.id,
    uid: f.uid,
    title: f.title,
    tags: [],
    parentUid: f.parentUid,
    url: folderUrl(f.uid, f.title),
  }));
  const dashboards: Hit[] = [...org.dashboards.values()].map((d) => ({
    kind: "dash-db",
    id: d.id,
    uid: d.uid,
    title: d.title,
    tags: Array.isArray(d.model.tags) ? d.model.tags.filter((t): t is string => typeof t === "string") : [],
    parentUid: d.folderUid,
    url: dashboardUrl(d.uid, d.title),
  }));
  return [...folders, ...dashboards];
}

function toDto(org: OrgRecord, hit: Hit): Record<string, unknown> {
  const dto: Record<string, unknown> = {
    id: hit.id,
    uid: hit.uid,
    orgId: org.id,
    title: hit.title,
    uri: `db/${slugify(hit.title)}`,
    url: hit.url,
    slug: "",
    type: hit.kind,
    tags: hit.tags,
    isStarred: false,
    sortMeta: 0,
    isDeleted: false,
  };
  const parent: FolderRecord | undefined = org.folders.get(hit.parentUid);
  if (parent) {
    dto.folderId = parent.id;
    dto.folderUid = parent.uid;
    dto.folderTitle = parent.title;
    dto.folderUrl = folderUrl(parent.uid, parent.title);
  }
  return dto;
}
