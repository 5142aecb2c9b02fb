import { z } from "zod";
import { diffFields, type FieldChange } from "../../../engine/field-diff.ts";
import type { ResourceKind } from "../../../engine/resource-kind.ts";
import { ConflictError } from "../../../http/errors.ts";
import { call, DETAIL_READS, deleteIfExists, getIfExists, mapConcurrently } from "../api.ts";
import { goneDuringApply } from "../gone.ts";
import type { GrafanaSession } from "../session.ts";
import { secretDigest, writeOnlyChange } from "../write-only.ts";
import { resolveSecretMap } from "./secret-settings.ts";

export interface DatasourceSpec extends Record<string, unknown> {
  uid: string;
  name: string;
  type: string;
  url: string;
  access: "proxy" | "direct";
  isDefault: boolean;
  jsonData: Record<string, unknown>;
  /** Secret references in the desired state; their values once `prepare` has run. */
  secureJsonData?: Record<string, string>;
}

const listItemSchema = z
  .object({
    id: z.number(),
    uid: z.string(),
    name: z.string(),
    type: z.string(),
    url: z.string().optional(),
    access: z.string().optional(),
    isDefault: z.boolean().optional(),
    jsonData: z.record(z.string(), z.unknown()).nullable().optional(),
    readOnly: z.boolean().optional(),
  })
  .passthrough();
const detailSchema = listItemSchema.extend({
  version: z.number(),
  secureJsonFields: z.record(z.string(), z.boolean()).nullable().optional(),
});
const savedSchema = z.object({ datasource: detailSchema }).passthrough();

/** A list item, with `version` and `secureJsonFields` when its details were read. */
export type ObservedDatasource = z.infer<typeof listItemSchema> & {
  version?: number;
  secureJsonFields?: Record<string, boolean> | null;
};

const KIND = "datasource";
const BY_UID = "/api/datasources/uid/{uid}";
/** What PUT takes besides the fields Autopilot manages: kept from a fresh read, since PUT resets omitted fields. */
const KEPT_ON_UPDATE = ["basicAuth", "basicAuthUser", "database", "user", "withCredentials"] as const;

/**
 * Datasources, keyed by uid. The list has no `version` nor `secureJsonFields`, so details are
 * read only for datasources whose config declares secrets. Secrets are write-only: a key is
 * rewritten when Grafana lacks it or the value's digest differs from the one recorded at the
 * last write. An update is a fresh read and a PUT of the whole object with the version just read
 * (PUT resets what it does not carry); a stale version (409) is re-read and retried once.
 */
export const datasourceKind: ResourceKind<DatasourceSpec, ObservedDatasource, GrafanaSession> = {
  kind: KIND,
  sensitiveFields: ["secureJsonData"],
  keyOf: (datasource) => datasource.uid,
  idOf: (datasource) => datasource.uid,
  async prepare(session, spec) {
    if (!spec.secureJsonData || Object.keys(spec.secureJsonData).length === 0) return spec;
    session.interest.add(KIND, spec.uid);
    return { ...spec, secureJsonData: await resolveSecretMap(session, spec.secureJsonData) };
  },
  async list(session) {
    const items = await call(
      session.http,
      "GET",
      "/api/datasources",
      z.array(listItemSchema),
      "datasource list",
      {
        route: "/api/datasources",
      },
    );
    return mapConcurrently(items, DETAIL_READS, async (item): Promise<ObservedDatasource> => {
      if (!session.interest.has(KIND, item.uid)) return item;
      return (await readDatasource(session, item.uid)) ?? item;
    });
  },
  read: (session, uid) => readDatasource(session, uid),
  diff: (spec, observed, prior) => datasourceChanges(spec, observed, prior),
  async create(session, spec) {
    const saved = await call(session.http, "POST", "/api/datasources", savedSchema, "datasource", {
      route: "/api/datasources",
      body: spec,
    });
    return saved.datasource;
  },
  async update(session, spec, _observed, changes) {
    const secretKeys = changes
      .filter((change) => change.path.startsWith("secureJsonData."))
      .map((change) => change.path.slice("secureJsonData.".length));
    let fresh = await readExisting(session, spec.uid);
    try {
      return await putDatasource(session, spec, fresh, secretKeys);
    } catch (error) {
      // Someone saved it between our read and our write (or our own earlier attempt did): once more.
      if (!(error instanceof ConflictError)) throw error;
      fresh = await readExisting(session, spec.uid);
      return putDatasource(session, spec, fresh, secretKeys);
    }
  },
  async delete(session, datasource) {
    await deleteIfExists(session.http, `/api/datasources/uid/${encodeURIComponent(datasource.uid)}`, BY_UID);
  },
  output: (datasource, field) => (datasource as Record<string, unknown>)[field],
  writeOnlyDigests: (spec) =>
    Object.fromEntries(
      Object.entries(spec.secureJsonData ?? {}).map(([key, value]) => [
        `secureJsonData.${key}`,
        secretDigest(value),
      ]),
    ),
};

export function datasourceChanges(
  spec: DatasourceSpec,
  observed: ObservedDatasource,
  prior: Readonly<Record<string, string>>,
): FieldChange[] {
  const { name, type, url, access, isDefault } = spec;
  const changes = diffFields({ name, type, url, access, isDefault }, observed);
  changes.push(...diffFields(spec.jsonData, observed.jsonData ?? {}, {}, "jsonData"));
  for (const [key, value] of Object.entries(spec.secureJsonData ?? {})) {
    const path = `secureJsonData.${key}`;
    const change = writeOnlyChange(path, value, observed.secureJsonFields?.[key] === true, prior[path]);
    if (change) changes.push(change);
  }
  return changes;
}

async function readDatasource(session: GrafanaSession, uid: string) {
  const path = `/api/datasources/uid/${encodeURIComponent(uid)}`;
  return getIfExists(session.http, path, detailSchema, "datasource", BY_UID);
}

async function readExisting(session: GrafanaSession, uid: string) {
  const found = await readDatasource(session, uid);
  if (!found) throw goneDuringApply("datasource", uid);
  return found;
}

async function putDatasource(
  session: GrafanaSession,
  spec: DatasourceSpec,
  fresh: z.infer<typeof detailSchema>,
  secretKeys: readonly string[],
): Promise<ObservedDatasource> {
  const kept = Object.fromEntries(
    KEPT_ON_UPDATE.filter((key) => key in fresh).map((key) => [key, fresh[key]]),
  );
  const secure = Object.fromEntries(
    secretKeys.flatMap((key) => {
      const value = spec.secureJsonData?.[key];
      return value === undefined ? [] : [[key, value]];
    }),
  );
  const body = {
    ...kept,
    uid: spec.uid,
    name: spec.name,
    type: spec.type,
    url: spec.url,
    access: spec.access,
    isDefault: spec.isDefault,
    // Keys others set stay; only the ones the config names are written.
    jsonData: { ...(fresh.jsonData ?? {}), ...spec.jsonData },
    ...(Object.keys(secure).length > 0 ? { secureJsonData: secure } : {}),
    version: fresh.version,
  };
  const saved = await call(
    session.http,
    "PUT",
    `/api/datasources/uid/${encodeURIComponent(spec.uid)}`,
    savedSchema,
    "datasource",
    {
      route: BY_UID,
      body,
    },
  );
  return saved.datasource;
}
