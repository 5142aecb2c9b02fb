import { roleIncludes } from "../auth.ts";
import { failLegacy } from "../errors.ts";
import type { DashboardRecord, OrgRecord } from "../models.ts";
import { type GrafanaRoute, json, type Principal } from "../route.ts";
import { GO_ZERO_TIME } from "../sim-clock.ts";
import { dashboardUrl, folderUrl, slugify } from "../slug.ts";
import { saveDashboard } from "./dashboard-save.ts";

/** /api/dashboards: save (dashboard-save.ts), get with meta, delete (reference §5). */
export function dashboardRoutes(): GrafanaRoute[] {
  return [
    {
      method: "POST",
      path: "/api/dashboards/db",
      access: { role: "Editor", permission: "any of dashboards:create, dashboards:write" },
      bindsBody: true,
      handle: saveDashboard,
    },
    {
      method: "GET",
      path: "/api/dashboards/uid/:uid",
      access: { role: "Viewer", permission: "dashboards:read" },
      handle: ({ org, params, principal }) => {
        const dashboard = find(org, params.uid);
        return json(200, { dashboard: dashboard.model, meta: meta(org, dashboard, principal) });
      },
    },
    {
      method: "DELETE",
      path: "/api/dashboards/uid/:uid",
      access: { role: "Editor", permission: "dashboards:delete" },
      handle: ({ org, params }) => {
        const dashboard = find(org, params.uid);
        if (dashboard.provisioned) failLegacy(400, "provisioned dashboard cannot be deleted");
        org.dashboards.delete(dashboard.uid);
        return json(200, {
          title: dashboard.title,
          message: `Dashboard ${dashboard.title} deleted`,
          uid: dashboard.uid,
        });
      },
    },
  ];
}

function find(org: OrgRecord, uid: string | undefined): DashboardRecord {
  return (uid === undefined ? undefined : org.dashboards.get(uid)) ?? failLegacy(404, "Dashboard not found");
}

function meta(org: OrgRecord, dashboard: DashboardRecord, principal: Principal): Record<string, unknown> {
  const folder = org.folders.get(dashboard.folderUid);
  const canEdit = roleIncludes(principal.role, "Editor");
  const canAdmin = roleIncludes(principal.role, "Admin");
  const annotationActions = { canAdd: canEdit, canEdit, canDelete: canEdit };
  return {
    type: "db",
    canSave: canEdit,
    canEdit,
    canAdmin,
    canStar: true,
    canDelete: canEdit,
    slug: slugify(dashboard.title),
    url: dashboardUrl(dashboard.uid, dashboard.title),
    expires: GO_ZERO_TIME,
    created: dashboard.created,
    updated: dashboard.updated,
    updatedBy: dashboard.updatedBy,
    createdBy: dashboard.createdBy,
    version: dashboard.version,
    hasAcl: false,
    isFolder: false,
    isStarred: false,
    folderId: folder?.id ?? 0,
    folderUid: dashboard.folderUid,
    folderTitle: folder?.title ?? "General",
    folderUrl: folder ? folderUrl(folder.uid, folder.title) : "",
    provisioned: dashboard.provisioned,
    provisionedExternalId: dashboard.provisionedExternalId,
    annotationsPermissions: { dashboard: annotationActions, organization: annotationActions },
    publicDashboardEnabled: false,
  };
}
