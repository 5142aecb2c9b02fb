import { z } from "zod";
import type { FieldChange } from "../../../engine/field-diff.ts";
import type { ResourceKind } from "../../../engine/resource-kind.ts";
import { ConflictError } from "../../../http/errors.ts";
import { call, DETAIL_READS, deleteIfExists, getIfExists, mapConcurrently } from "../api.ts";
import type { GrafanaSession } from "../session.ts";
import { modelChanges, normaliseDashboard } from "./dashboard-model.ts";
import { searchAll } from "./search.ts";

export interface DashboardSpec extends Record<string, unknown> {
  uid: string;
  /** "" for the root ("General"). */
  folderUid: string;
  /** The dashboard JSON model as the author wrote it (a file, or a Foundation SDK build). */
  model: Record<string, unknown>;
}

export interface ObservedDashboard {
  uid: string;
  title: string;
  folderUid: string;
  /** Read for dashboards the config manages (and by `read`), absent for the rest. */
  version?: number;
  model?: Record<string, unknown>;
}

const fullSchema = z
  .object({
    dashboard: z.object({ version: z.number().optional() }).passthrough(),
    meta: z.object({ folderUid: z.string().optional(), version: z.number().optional() }).passthrough(),
  })
  .passthrough();
const savedSchema = z
  .object({ uid: z.string(), version: z.number(), id: z.number().optional() })
  .passthrough();

const KIND = "dashboard";
const BY_UID = "/api/dashboards/uid/{uid}";
const SAVE_MESSAGE = "Saved by Homelab Autopilot";

/**
 * Dashboards, keyed by uid. A search lists them all (a page per 1,000); only those the config
 * manages are read in full, one GET each — the legacy API has no bulk read of dashboard models,
 * and nothing less than the model can show an edit made in the UI. Models are compared in a
 * normalised form (dashboard-model.ts), so an unchanged dashboard is never saved again.
 *
 * Saves always name `folderUid` (without it an update moves the dashboard to the root) and carry
 * the version just read, never `overwrite`: a 412 means someone saved meanwhile, so the
 * dashboard is read again and saved once more on top of the fresh version — or not at all when
 * the fresh copy already matches. After a lost response the engine re-reads and compares before
 * anything is repeated, so a save is never applied twice blindly.
 */
export const dashboardKind: ResourceKind<DashboardSpec, ObservedDashboard, GrafanaSession> = {
  kind: KIND,
  dependsOnKinds: ["folder", "datasource"],
  keyOf: (dashboard) => dashboard.uid,
  prepare(session, spec) {
    session.interest.add(KIND, spec.uid);
    return spec;
  },
  async list(session) {
    const hits = await searchAll(session, "dash-db");
    return mapConcurrently(hits, DETAIL_READS, async (hit): Promise<ObservedDashboard> => {
      const summary = { uid: hit.uid, title: hit.title, folderUid: hit.folderUid ?? "" };
      if (!session.interest.has(KIND, hit.uid)) return summary;
      return (await readDashboard(session, hit.uid)) ?? summary;
    });
  },
  read: (session, uid) => readDashboard(session, uid),
  diff: (spec, dashboard) => dashboardChanges(spec, dashboard),
  create: (session, spec) => save(session, spec, undefined),
  async update(session, spec, dashboard) {
    try {
      return await save(session, spec, dashboard.version);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      // 412 version-mismatch (409 on some releases): saved by someone else meanwhile.
      const fresh = await readDashboard(session, spec.uid);
      if (fresh && dashboardChanges(spec, fresh).length === 0) return fresh;
      return save(session, spec, fresh?.version);
    }
  },
  async delete(session, dashboard) {
    await deleteIfExists(session.http, dashboardPath(dashboard.uid), BY_UID);
  },
  output: (dashboard, field) => (dashboard as unknown as Record<string, unknown>)[field],
};

export function dashboardChanges(spec: DashboardSpec, dashboard: ObservedDashboard): FieldChange[] {
  const changes: FieldChange[] = [];
  if (spec.folderUid !== dashboard.folderUid) {
    changes.push({ path: "folderUid", before: dashboard.folderUid, after: spec.folderUid });
  }
  if (dashboard.model === undefined) {
    changes.push({ path: "model", before: "(not read)", after: "(the config's model)" });
  } else {
    changes.push(
      ...modelChanges("model", normaliseDashboard(spec.model), normaliseDashboard(dashboard.model)),
    );
  }
  return changes;
}

function dashboardPath(uid: string): string {
  return `/api/dashboards/uid/${encodeURIComponent(uid)}`;
}

async function readDashboard(session: GrafanaSession, uid: string): Promise<ObservedDashboard | undefined> {
  const found = await getIfExists(session.http, dashboardPath(uid), fullSchema, "dashboard", BY_UID);
  if (!found) return undefined;
  const model = found.dashboard as Record<string, unknown>;
  const version = found.meta.version ?? found.dashboard.version;
  return {
    uid,
    title: typeof model.title === "string" ? model.title : "",
    folderUid: found.meta.folderUid ?? "",
    ...(version === undefined ? {} : { version }),
    model,
  };
}

/** POST /api/dashboards/db: a create without a version, an update with the version it replaces. */
async function save(
  session: GrafanaSession,
  spec: DashboardSpec,
  version: number | undefined,
): Promise<ObservedDashboard> {
  // schemaVersion is sent as authored: Grafana migrates older models from it.
  const { id: _id, version: _version, iteration: _iteration, ...authored } = spec.model;
  const model: Record<string, unknown> = {
    ...authored,
    uid: spec.uid,
    ...(version === undefined ? {} : { version }),
  };
  const saved = await call(session.http, "POST", "/api/dashboards/db", savedSchema, "dashboard save answer", {
    route: "/api/dashboards/db",
    body: { dashboard: model, folderUid: spec.folderUid, overwrite: false, message: SAVE_MESSAGE },
  });
  return {
    uid: saved.uid,
    title: typeof model.title === "string" ? model.title : "",
    folderUid: spec.folderUid,
    version: saved.version,
    model: { ...model, ...(saved.id === undefined ? {} : { id: saved.id }), version: saved.version },
  };
}
