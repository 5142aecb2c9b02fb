import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import { diffFields, type FieldChange } from "../../../engine/field-diff.ts";
import type { ResourceKind } from "../../../engine/resource-kind.ts";
import { call, DISABLE_PROVENANCE, deleteIfExists } from "../api.ts";
import type { GrafanaSession } from "../session.ts";
import { secretDigest, writeOnlyChange } from "../write-only.ts";
import { resolveSecretMap } from "./secret-settings.ts";

export interface ContactPointSpec extends Record<string, unknown> {
  name: string;
  type: string;
  /** Settings written in the config as plain values. */
  settings: Record<string, unknown>;
  /** Settings written as secret references (their values once `prepare` has run). */
  secureSettings: Record<string, string>;
  disableResolveMessage: boolean;
}

const contactPointSchema = z
  .object({
    uid: z.string(),
    name: z.string(),
    type: z.string(),
    settings: z.record(z.string(), z.unknown()),
    disableResolveMessage: z.boolean().optional(),
    provenance: z.string().optional(),
  })
  .passthrough();
export type ObservedContactPoint = z.infer<typeof contactPointSchema>;

/** How Grafana shows a secret setting it holds. */
const REDACTED = "[REDACTED]";
const BASE = "/api/v1/provisioning/contact-points";

/**
 * Contact points, keyed by name (what policies and rules refer to). Grafana masks the settings
 * it treats as secrets ("[REDACTED]"), which differ per integration type — so any setting shown
 * masked, whether the config gave it as a reference or as a plain value, is compared by the
 * digest recorded at the last write; a setting shown in clear is compared as it is.
 */
export const contactPointKind: ResourceKind<ContactPointSpec, ObservedContactPoint, GrafanaSession> = {
  kind: "contact-point",
  sensitiveFields: ["secureSettings"],
  keyOf: (point) => point.name,
  idOf: (point) => point.uid,
  async prepare(session, spec) {
    return { ...spec, secureSettings: await resolveSecretMap(session, spec.secureSettings) };
  },
  list: (session) => listContactPoints(session),
  async read(session, name) {
    return (await listContactPoints(session, name)).find((point) => point.name === name);
  },
  diff: (spec, point, prior) => contactPointChanges(spec, point, prior),
  async create(session, spec) {
    return call(session.http, "POST", BASE, contactPointSchema, "contact point", {
      route: BASE,
      body: bodyOf(spec),
      headers: DISABLE_PROVENANCE,
    });
  },
  async update(session, spec, point) {
    await session.http.request({
      method: "PUT",
      path: `${BASE}/${encodeURIComponent(point.uid)}`,
      route: `${BASE}/{uid}`,
      body: { uid: point.uid, ...bodyOf(spec) },
      headers: DISABLE_PROVENANCE,
    });
    return {
      ...point,
      type: spec.type,
      settings: maskedSettings(spec),
      disableResolveMessage: spec.disableResolveMessage,
    };
  },
  async delete(session, point) {
    await deleteIfExists(session.http, `${BASE}/${encodeURIComponent(point.uid)}`, `${BASE}/{uid}`);
  },
  output: (point, field) => point[field],
  writeOnlyDigests: (spec) => ({
    ...Object.fromEntries(
      Object.entries(spec.settings)
        .filter((entry): entry is [string, string] => typeof entry[1] === "string")
        .map(([key, value]) => [`settings.${key}`, secretDigest(value)]),
    ),
    ...Object.fromEntries(
      Object.entries(spec.secureSettings).map(([key, value]) => [
        `secureSettings.${key}`,
        secretDigest(value),
      ]),
    ),
  }),
};

export function contactPointChanges(
  spec: ContactPointSpec,
  point: ObservedContactPoint,
  prior: Readonly<Record<string, string>>,
): FieldChange[] {
  const changes = diffFields(
    { type: spec.type, disableResolveMessage: spec.disableResolveMessage },
    { type: point.type, disableResolveMessage: point.disableResolveMessage ?? false },
  );
  const compare = (group: "settings" | "secureSettings", key: string, want: unknown, sensitive: boolean) => {
    const path = `${group}.${key}`;
    const have = point.settings[key];
    if (have === REDACTED && typeof want === "string") {
      const change = writeOnlyChange(path, want, true, prior[path]);
      if (change) changes.push(sensitive ? change : { ...change, sensitive: false });
    } else if (!isDeepStrictEqual(want, have)) {
      changes.push(
        sensitive ? { path, before: have, after: want, sensitive } : { path, before: have, after: want },
      );
    }
  };
  for (const [key, want] of Object.entries(spec.settings)) compare("settings", key, want, false);
  for (const [key, want] of Object.entries(spec.secureSettings)) compare("secureSettings", key, want, true);
  return changes;
}

async function listContactPoints(session: GrafanaSession, name?: string): Promise<ObservedContactPoint[]> {
  return call(session.http, "GET", BASE, z.array(contactPointSchema), "contact point list", {
    route: BASE,
    ...(name ? { query: { name } } : {}),
  });
}

function bodyOf(spec: ContactPointSpec): Record<string, unknown> {
  return {
    name: spec.name,
    type: spec.type,
    settings: { ...spec.settings, ...spec.secureSettings },
    disableResolveMessage: spec.disableResolveMessage,
  };
}

/** What a read shows after a write: the secrets masked (the answer to PUT has no object). */
function maskedSettings(spec: ContactPointSpec): Record<string, unknown> {
  return {
    ...spec.settings,
    ...Object.fromEntries(Object.keys(spec.secureSettings).map((key) => [key, REDACTED])),
  };
}
