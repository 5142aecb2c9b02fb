import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import { diffFields, type FieldChange } from "../../../engine/field-diff.ts";
import type { ResourceKind } from "../../../engine/resource-kind.ts";
import { AuthFailedError, NotFoundError } from "../../../http/errors.ts";
import { logger } from "../../../observability/logger.ts";
import { redactor } from "../../../secrets/redactor.ts";
import { call } from "../api.ts";
import type { GrafanaSession } from "../session.ts";
import { CLIENT_SECRET_ENV, envValues, readEnvFile, writeEnvFile } from "../sso-env-file.ts";
import { secretDigest, writeOnlyChange } from "../write-only.ts";

export interface SsoSettingsSpec extends Record<string, unknown> {
  /** Grafana's provider key: generic_oauth. */
  provider: string;
  /** camelCase keys, as the API reads and writes them; `clientSecret` is write-only. */
  settings: Record<string, unknown> & { clientSecret: string };
}

export type ObservedSsoSettings =
  | { provider: string; delivery: "api"; settings: Record<string, unknown>; source: string }
  | { provider: string; delivery: "env-file"; file: string; values: Record<string, string> };

const settingsSchema = z
  .object({
    provider: z.string().optional(),
    settings: z.record(z.string(), z.unknown()),
    source: z.string().optional(),
  })
  .passthrough();

const SECRET = "clientSecret";
const MASK = "*********";
const ROUTE = "/api/v1/sso-settings/{provider}";
const warned = new WeakSet<GrafanaSession>();
/** The first read of a run, shared by `prepare` and `list`. */
const firstRead = new WeakMap<GrafanaSession, Promise<ObservedSsoSettings>>();

/**
 * Grafana's SSO settings for one provider (generic_oauth, pointing at Authentik), through the
 * server admin's login, since a service-account token gets 403 there. One object that always
 * exists (Grafana's defaults until written), hence shared: never created from nothing, never
 * deleted. The client secret comes back masked, so it is compared by digest.
 *
 * When the API is missing (404, before 11) or refused (403: no admin login configured), the
 * settings go to an env file of GF_AUTH_GENERIC_OAUTH_* variables instead (sso-env-file.ts);
 * the plan then names those variables, and a warning says where the file is.
 */
export const ssoSettingsKind: ResourceKind<SsoSettingsSpec, ObservedSsoSettings, GrafanaSession> = {
  kind: "sso-settings",
  ownership: "shared",
  sensitiveFields: [`settings.${SECRET}`],
  keyOf: (sso) => sso.provider,
  async prepare(session, spec) {
    // A refused admin login (401) makes this one resource invalid, not all of Grafana unavailable.
    await readOnce(session, spec.provider);
    return spec;
  },
  async list(session) {
    try {
      return [await readOnce(session, "generic_oauth")];
    } catch (error) {
      // Already reported by `prepare`, which marked the resource invalid.
      if (error instanceof AuthFailedError) return [];
      throw error;
    }
  },
  read: (session, provider) => readSso(session, provider),
  diff: (spec, sso, prior) => ssoChanges(spec, sso, prior),
  create: async (session, spec) => writeSso(session, spec, await readSso(session, spec.provider)),
  update: (session, spec, sso) => writeSso(session, spec, sso),
  // Shared: never planned for deletion.
  async delete() {},
  output: (sso, field) => (sso as Record<string, unknown>)[field],
  writeOnlyDigests: (spec): Record<string, string> =>
    typeof spec.settings[SECRET] === "string"
      ? { [`settings.${SECRET}`]: secretDigest(spec.settings[SECRET]) }
      : {},
};

export function ssoChanges(
  spec: SsoSettingsSpec,
  sso: ObservedSsoSettings,
  prior: Readonly<Record<string, string>>,
): FieldChange[] {
  if (sso.delivery === "env-file") {
    const want = envValues(spec.settings);
    const changes: FieldChange[] = [];
    for (const key of [...new Set([...Object.keys(want), ...Object.keys(sso.values)])].sort()) {
      if (isDeepStrictEqual(want[key], sso.values[key])) continue;
      const change = { path: key, before: sso.values[key], after: want[key] };
      changes.push(key === CLIENT_SECRET_ENV ? { ...change, sensitive: true } : change);
    }
    return changes;
  }
  const { [SECRET]: secret, ...plain } = spec.settings;
  const changes = diffFields(plain, sso.settings, {}, "settings");
  const path = `settings.${SECRET}`;
  // Stored through the API ("database") and not empty: Grafana holds a secret; ours if the digest says so.
  const present =
    sso.source === "database" && typeof sso.settings[SECRET] === "string" && sso.settings[SECRET] !== "";
  if (typeof secret !== "string")
    changes.push({ path, before: present ? "(set)" : undefined, after: secret, sensitive: true });
  else {
    const change = writeOnlyChange(path, secret, present, prior[path]);
    if (change) changes.push(change);
  }
  return changes;
}

function readOnce(session: GrafanaSession, provider: string): Promise<ObservedSsoSettings> {
  let read = firstRead.get(session);
  if (!read) {
    read = readSso(session, provider);
    firstRead.set(session, read);
  }
  return read;
}

function isMissingOrRefused(error: unknown): boolean {
  return error instanceof NotFoundError || (error instanceof AuthFailedError && error.status === 403);
}

async function readSso(session: GrafanaSession, provider: string): Promise<ObservedSsoSettings> {
  try {
    const found = await call(
      session.admin,
      "GET",
      `/api/v1/sso-settings/${encodeURIComponent(provider)}`,
      settingsSchema,
      "SSO settings",
      {
        route: ROUTE,
      },
    );
    return { provider, delivery: "api", settings: found.settings, source: found.source ?? "system" };
  } catch (error) {
    if (!isMissingOrRefused(error)) throw error;
    if (!warned.has(session)) {
      warned.add(session);
      const status = (error as NotFoundError | AuthFailedError).status;
      logger().warn(
        { file: session.ssoEnvFile, status },
        `Grafana's SSO settings API ${status === 404 ? "is missing (404)" : "refused the request (403)"}; generic OAuth settings are written to ${session.ssoEnvFile} as GF_AUTH_GENERIC_OAUTH_* variables instead: give that file to Grafana as an env file and restart it (or configure targets.grafana.basicAuth with a server admin)`,
      );
    }
    const values = (await readEnvFile(session.ssoEnvFile)) ?? {};
    const secret = values[CLIENT_SECRET_ENV];
    if (secret) redactor.register(secret);
    return { provider, delivery: "env-file", file: session.ssoEnvFile, values };
  }
}

async function writeSso(
  session: GrafanaSession,
  spec: SsoSettingsSpec,
  current: ObservedSsoSettings,
): Promise<ObservedSsoSettings> {
  if (current.delivery === "env-file") {
    const values = Object.fromEntries(
      Object.entries(envValues(spec.settings)).map(([key, value]) => [key, String(value)]),
    );
    await writeEnvFile(session.ssoEnvFile, values);
    return { provider: spec.provider, delivery: "env-file", file: session.ssoEnvFile, values };
  }
  await session.admin.request({
    method: "PUT",
    path: `/api/v1/sso-settings/${encodeURIComponent(spec.provider)}`,
    route: ROUTE,
    body: { settings: spec.settings },
  });
  return {
    provider: spec.provider,
    delivery: "api",
    settings: { ...spec.settings, [SECRET]: MASK },
    source: "database",
  };
}
