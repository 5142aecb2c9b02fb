import type { SimResponse } from "../../common/sim-server.ts";
import { parseDuration } from "../durations.ts";
import { failLegacy } from "../errors.ts";
import type { DashboardRecord, OrgRecord } from "../models.ts";
import { bodyObject, bool, json, num, type RouteContext, record, str } from "../route.ts";
import { dashboardUrl, slugify, uidProblem } from "../slug.ts";
import { shortUid } from "../state.ts";

/**
 * POST /api/dashboards/db, Grafana's save algorithm (reference §5, legacy SQL store):
 * validation first, as the dashboard service does, then the store's lookup by id/uid, the
 * version check ("missing version" counts as 0, so re-posting without version or overwrite is
 * a 412), plugin and title checks, and finally version = stored + 1.
 *
 * The one normalisation the server applies on save: `schemaVersion` below the current one is
 * rewritten to 42, and `id`, `uid` and `version` are written into the stored model. A client
 * diffing raw JSON therefore always sees drift; Autopilot must compare a normalised subset.
 */
export const CURRENT_SCHEMA_VERSION = 42;
const MIN_REFRESH_MS = 5000;

export function saveDashboard(context: RouteContext): SimResponse {
  const { org, state, principal } = context;
  const body = bodyObject(context);
  const model = record(body.dashboard);
  const overwrite = bool(body.overwrite);
  const title = str(model.title);
  const uid = str(model.uid);
  // folderId is deprecated and ignored: on 13 it lands the dashboard in the root.
  const folderUid = str(body.folderUid);

  validate(org, title, uid, str(body.message), model.refresh, folderUid);
  const existing = findExisting(org, num(model.id), uid);
  if (existing) {
    if (existing.provisioned) failLegacy(400, "Cannot save provisioned dashboard");
    if (!overwrite && num(model.version) !== existing.version) {
      failLegacy(412, "The dashboard has been changed by someone else", { status: "version-mismatch" });
    }
    if (existing.pluginId !== "" && !overwrite) {
      failLegacy(412, `The dashboard belongs to plugin ${existing.pluginId}.`, {
        status: "plugin-dashboard",
      });
    }
  }
  const finalUid = uid || existing?.uid || shortUid();
  checkTitleClash(context, folderUid, title, finalUid, overwrite);

  const now = state.clock.iso();
  const version = existing ? existing.version + 1 : 1;
  const id = existing?.id ?? state.nextId("dashboard");
  const schemaVersion = num(model.schemaVersion);
  const stored: DashboardRecord = {
    id,
    uid: finalUid,
    orgId: org.id,
    title,
    folderUid,
    version,
    model: {
      ...model,
      id,
      uid: finalUid,
      version,
      schemaVersion: Math.max(schemaVersion, CURRENT_SCHEMA_VERSION),
    },
    created: existing?.created ?? now,
    updated: now,
    createdBy: existing?.createdBy ?? principal.login,
    updatedBy: principal.login,
    provisioned: false,
    provisionedExternalId: "",
    pluginId: existing?.pluginId ?? "",
  };
  if (existing) org.dashboards.delete(existing.uid);
  org.dashboards.set(finalUid, stored);
  return json(200, {
    id,
    uid: finalUid,
    url: dashboardUrl(finalUid, title),
    status: "success",
    version,
    slug: slugify(title),
    folderUid,
  });
}

function validate(
  org: OrgRecord,
  title: string,
  uid: string,
  message: string,
  refresh: unknown,
  folderUid: string,
): void {
  if (title.trim() === "") failLegacy(400, "Dashboard title cannot be empty", { status: "empty-name" });
  // Guessed wording; the status is the one Grafana uses.
  if (title.length > 5000)
    failLegacy(400, "Dashboard title cannot be longer than 5000 characters", { status: "title-too-long" });
  const problem = uidProblem(uid);
  if (problem) failLegacy(400, problem);
  if (message.length > 500) failLegacy(400, "message too long, max 500 characters");
  const refreshMs = typeof refresh === "string" ? parseDuration(refresh) : undefined;
  if (refreshMs !== undefined && refreshMs < MIN_REFRESH_MS)
    failLegacy(400, "Dashboard refresh interval is too low");
  if (folderUid !== "" && !org.folders.has(folderUid)) failLegacy(400, "folder not found");
}

/** Steps 1-3: by id (404 when it names nothing), else by uid; a uid that is a folder's is a type mismatch. */
function findExisting(org: OrgRecord, id: number, uid: string): DashboardRecord | undefined {
  if (uid !== "" && org.folders.has(uid)) failLegacy(400, "Dashboard cannot be changed to a folder");
  if (id > 0) {
    const byId = [...org.dashboards.values()].find((d) => d.id === id);
    if (!byId) failLegacy(404, "Dashboard not found", { status: "not-found" });
    if (uid !== "" && uid !== byId.uid && org.dashboards.has(uid)) {
      failLegacy(400, "A dashboard with the same uid already exists");
    }
    return byId;
  }
  return uid === "" ? undefined : org.dashboards.get(uid);
}

/** Step 6, only with titleUniqueness "per-folder" (releases up to ~11/12); overwrite replaces the other dashboard. */
function checkTitleClash(
  context: RouteContext,
  folderUid: string,
  title: string,
  uid: string,
  overwrite: boolean,
): void {
  if (context.state.titleUniqueness !== "per-folder") return;
  const other = [...context.org.dashboards.values()].find(
    (d) => d.uid !== uid && d.folderUid === folderUid && d.title.toLowerCase() === title.toLowerCase(),
  );
  if (!other) return;
  if (!overwrite) {
    failLegacy(412, "A dashboard with the same name in the folder already exists", { status: "name-exists" });
  }
  context.org.dashboards.delete(other.uid);
}
