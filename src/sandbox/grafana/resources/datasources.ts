import type { SimResponse } from "../../common/sim-server.ts";
import { failLegacy } from "../errors.ts";
import type { DatasourceRecord, OrgRecord } from "../models.ts";
import { bodyObject, bool, type GrafanaRoute, json, num, record, str } from "../route.ts";
import { shortUid } from "../state.ts";

/**
 * /api/datasources (reference §3). The unpleasant parts are deliberate: PUT replaces every field
 * (an omitted one is reset), `version` is optimistic locking with Grafana's odd rules, secrets
 * are write-only, and provisioned datasources refuse changes.
 */
const NOT_FOUND = "Data source not found";
const KNOWN_PLUGINS: Record<string, { name: string; logo: string }> = {
  prometheus: {
    name: "Prometheus",
    logo: "public/app/plugins/datasource/prometheus/img/prometheus_logo.svg",
  },
  loki: { name: "Loki", logo: "public/app/plugins/datasource/loki/img/loki_icon.svg" },
  tempo: { name: "Tempo", logo: "public/app/plugins/datasource/tempo/img/tempo_logo.svg" },
  alertmanager: { name: "Alertmanager", logo: "public/app/plugins/datasource/alertmanager/img/logo.svg" },
  influxdb: { name: "InfluxDB", logo: "public/app/plugins/datasource/influxdb/img/influxdb_logo.svg" },
};
const GENERIC_LOGO = "public/img/icn-datasource.svg";

export function datasourceRoutes(): GrafanaRoute[] {
  const read = { role: "Viewer", permission: "datasources:read" } as const;
  return [
    {
      method: "GET",
      path: "/api/datasources",
      access: read,
      handle: ({ org }) => json(200, listDatasources(org)),
    },
    {
      method: "GET",
      path: "/api/datasources/uid/:uid",
      access: read,
      handle: ({ org, params }) => get(byUid(org, params.uid)),
    },
    {
      method: "GET",
      path: "/api/datasources/name/:name",
      access: read,
      handle: ({ org, params }) => get([...org.datasources.values()].find((d) => d.name === params.name)),
    },
    {
      method: "POST",
      path: "/api/datasources",
      access: { role: "Admin", permission: "datasources:create" },
      bindsBody: true,
      handle: (context) =>
        createDatasource(context.org, bodyObject(context), context.state.nextId("datasource")),
    },
    {
      method: "PUT",
      path: "/api/datasources/uid/:uid",
      access: { role: "Admin", permission: "datasources:write" },
      bindsBody: true,
      handle: (context) => updateDatasource(context.org, context.params.uid as string, bodyObject(context)),
    },
    {
      method: "DELETE",
      path: "/api/datasources/uid/:uid",
      access: { role: "Admin", permission: "datasources:delete" },
      handle: ({ org, params }) => {
        const datasource = byUid(org, params.uid) ?? failLegacy(404, NOT_FOUND);
        if (datasource.readOnly) failLegacy(403, "Cannot delete read-only data source");
        org.datasources.delete(datasource.uid);
        return json(200, { message: "Data source deleted", id: datasource.id });
      },
    },
  ];
}

function byUid(org: OrgRecord, uid: string | undefined): DatasourceRecord | undefined {
  return uid === undefined ? undefined : org.datasources.get(uid);
}

function get(datasource: DatasourceRecord | undefined): SimResponse {
  return json(200, toDto(datasource ?? failLegacy(404, NOT_FOUND)));
}

function listDatasources(org: OrgRecord): unknown[] {
  return [...org.datasources.values()]
    .sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1))
    .map((d) => ({
      id: d.id,
      uid: d.uid,
      orgId: d.orgId,
      name: d.name,
      type: d.type,
      typeName: KNOWN_PLUGINS[d.type]?.name ?? d.type,
      typeLogoUrl: KNOWN_PLUGINS[d.type]?.logo ?? GENERIC_LOGO,
      access: d.access,
      url: d.url,
      user: d.user,
      database: d.database,
      basicAuth: d.basicAuth,
      isDefault: d.isDefault,
      jsonData: d.jsonData,
      readOnly: d.readOnly,
    }));
}

export function toDto(d: DatasourceRecord): Record<string, unknown> {
  const secureJsonFields: Record<string, boolean> = {};
  for (const [key, value] of Object.entries(d.secureJsonData))
    if (value.length > 0) secureJsonFields[key] = true;
  return {
    id: d.id,
    uid: d.uid,
    orgId: d.orgId,
    name: d.name,
    type: d.type,
    typeLogoUrl: KNOWN_PLUGINS[d.type]?.logo ?? GENERIC_LOGO,
    access: d.access,
    url: d.url,
    user: d.user,
    database: d.database,
    basicAuth: d.basicAuth,
    basicAuthUser: d.basicAuthUser,
    withCredentials: d.withCredentials,
    isDefault: d.isDefault,
    jsonData: d.jsonData,
    secureJsonFields,
    version: d.version,
    readOnly: d.readOnly,
    apiVersion: "",
  };
}

/** The fields a create or update writes; anything omitted takes Go's zero value. */
function fieldsFrom(
  body: Record<string, unknown>,
): Omit<DatasourceRecord, "id" | "uid" | "orgId" | "name" | "version" | "readOnly" | "secureJsonData"> {
  return {
    type: str(body.type),
    access: str(body.access),
    url: str(body.url),
    user: str(body.user),
    database: str(body.database),
    basicAuth: bool(body.basicAuth),
    basicAuthUser: str(body.basicAuthUser),
    withCredentials: bool(body.withCredentials),
    isDefault: bool(body.isDefault),
    jsonData: record(body.jsonData),
  };
}

function createDatasource(org: OrgRecord, body: Record<string, unknown>, id: number): SimResponse {
  const fields = fieldsFrom(body);
  if ("teamHttpHeaders" in fields.jsonData) {
    failLegacy(
      403,
      "Cannot create datasource with team HTTP headers, need to use updateDatasourceLBACRules API",
    );
  }
  const existing = [...org.datasources.values()];
  const name = str(body.name) || availableName(fields.type, existing);
  if (existing.some((d) => d.name === name)) failLegacy(409, "data source with the same name already exists");
  const uid = str(body.uid) || shortUid();
  if (org.datasources.has(uid)) failLegacy(409, "data source with the same uid already exists");
  const datasource: DatasourceRecord = {
    ...fields,
    id,
    uid,
    orgId: org.id,
    name,
    version: 1,
    readOnly: false,
    secureJsonData: stringMap(body.secureJsonData),
  };
  if (datasource.isDefault) clearDefault(org);
  org.datasources.set(uid, datasource);
  return json(200, { id, name, message: "Datasource added", datasource: toDto(datasource) });
}

function updateDatasource(org: OrgRecord, uid: string, body: Record<string, unknown>): SimResponse {
  const stored = org.datasources.get(uid) ?? failLegacy(404, NOT_FOUND);
  if (stored.readOnly) failLegacy(403, "Cannot update read-only data source");
  const name = str(body.name);
  if ([...org.datasources.values()].some((d) => d !== stored && d.name === name)) {
    failLegacy(409, "Failed to update datasource: data source with the same name already exists");
  }
  // The store writes version = sent + 1 where stored <= sent; 0 skips the check.
  const sent = num(body.version);
  if (sent !== 0 && stored.version > sent) {
    failLegacy(409, "Datasource has already been updated by someone else. Please reload and try again");
  }
  const newUid = str(body.uid) || stored.uid;
  if (newUid !== stored.uid && org.datasources.has(newUid)) failLegacy(500, "Failed to update datasource");
  // Omitted secure keys keep their decrypted old value; "" blanks one.
  const secureJsonData = { ...stored.secureJsonData, ...stringMap(body.secureJsonData) };
  const updated: DatasourceRecord = {
    ...stored,
    ...fieldsFrom(body),
    uid: newUid,
    name,
    version: sent + 1,
    secureJsonData,
  };
  if (updated.isDefault) clearDefault(org);
  org.datasources.delete(stored.uid);
  org.datasources.set(updated.uid, updated);
  return json(200, { message: "Datasource updated", id: updated.id, name, datasource: toDto(updated) });
}

function clearDefault(org: OrgRecord): void {
  for (const datasource of org.datasources.values()) datasource.isDefault = false;
}

/** Grafana names an unnamed datasource after its type: "prometheus", then "prometheus-1", ... */
function availableName(type: string, existing: DatasourceRecord[]): string {
  const taken = new Set(existing.map((d) => d.name.toLowerCase()));
  let name = type;
  for (let n = 1; taken.has(name.toLowerCase()); n++) name = `${type}-${n}`;
  return name;
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(record(value))) if (typeof item === "string") out[key] = item;
  return out;
}
