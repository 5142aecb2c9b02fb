import type { SimResponse } from "../../common/sim-server.ts";
import { failPublic } from "../errors.ts";
import type { SsoSettingsRecord } from "../models.ts";
import { bodyObject, type GrafanaRoute, json, type RouteContext, record } from "../route.ts";
import type { GrafanaState } from "../state.ts";
import { shortUid } from "../state.ts";

/**
 * /api/v1/sso-settings (reference §9). Only the server admin may call it (an SA token, even
 * Admin, gets the RBAC 403). PUT stores settings in the "database" and answers 204; GET merges
 * them over the ini/env ("system") defaults and masks secrets; DELETE falls back to "system".
 * Keys are accepted in camelCase or snake_case and stored in camelCase.
 */
const BASE = "/api/v1/sso-settings";
const MASK = "*********";
const SECRET_KEYS = new Set(["clientSecret", "tlsClientKey", "tlsClientCert", "privateKey"]);

const COMMON = {
  enabled: false,
  clientId: "",
  clientSecret: "",
  allowSignUp: true,
  autoLogin: false,
  allowedDomains: "",
  allowedGroups: "",
  roleAttributePath: "",
  roleAttributeStrict: false,
  skipOrgRoleSync: false,
  usePkce: false,
  useRefreshToken: false,
  tlsSkipVerifyInsecure: false,
};

function provider(
  name: string,
  icon: string,
  scopes: string,
  authUrl: string,
  tokenUrl: string,
  apiUrl: string,
) {
  return { ...COMMON, name, icon, scopes, authUrl, tokenUrl, apiUrl };
}

/** defaults.ini for each provider the OSS API can configure. */
const SYSTEM_DEFAULTS: Readonly<Record<string, Record<string, unknown>>> = {
  azuread: provider(
    "Microsoft",
    "microsoft",
    "openid email profile",
    "https://login.microsoftonline.com/<tenant-id>/oauth2/v2.0/authorize",
    "https://login.microsoftonline.com/<tenant-id>/oauth2/v2.0/token",
    "",
  ),
  generic_oauth: provider("OAuth", "signin", "user:email", "", "", ""),
  github: provider(
    "GitHub",
    "github",
    "user:email,read:org",
    "https://github.com/login/oauth/authorize",
    "https://github.com/login/oauth/access_token",
    "https://api.github.com/user",
  ),
  gitlab: provider(
    "GitLab",
    "gitlab",
    "openid email profile",
    "https://gitlab.com/oauth/authorize",
    "https://gitlab.com/oauth/token",
    "https://gitlab.com/api/v4",
  ),
  google: provider(
    "Google",
    "google",
    "openid email profile",
    "https://accounts.google.com/o/oauth2/v2/auth",
    "https://oauth2.googleapis.com/token",
    "https://openidconnect.googleapis.com/v1/userinfo",
  ),
  okta: provider(
    "Okta",
    "okta",
    "openid profile email groups",
    "https://<tenant-id>.okta.com/oauth2/v1/authorize",
    "https://<tenant-id>.okta.com/oauth2/v1/token",
    "https://<tenant-id>.okta.com/oauth2/v1/userinfo",
  ),
};

export function ssoSettingsRoutes(): GrafanaRoute[] {
  const read = { role: "ServerAdmin", permission: "settings:read" } as const;
  const write = { role: "ServerAdmin", permission: "settings:write" } as const;
  return [
    {
      method: "GET",
      path: BASE,
      access: read,
      handle: ({ state }) =>
        json(
          200,
          Object.keys(SYSTEM_DEFAULTS).map((key) => view(state, key)),
        ),
    },
    {
      method: "GET",
      path: `${BASE}/:provider`,
      access: read,
      handle: ({ state, params }) => json(200, view(state, known(params.provider))),
    },
    {
      method: "PUT",
      path: `${BASE}/:provider`,
      access: write,
      bindsBody: true,
      handle: (c) => upsert(c, false),
    },
    {
      method: "PATCH",
      path: `${BASE}/:provider`,
      access: write,
      bindsBody: true,
      handle: (c) => upsert(c, true),
    },
    {
      method: "DELETE",
      path: `${BASE}/:provider`,
      access: write,
      handle: ({ state, params }) => {
        // Deleting what only exists in ini/env is "not found", like a store delete of no rows.
        if (!state.sso.delete(known(params.provider))) notFound();
        return { status: 204 };
      },
    },
  ];
}

function notFound(): never {
  failPublic(404, "sso.notFound", "The provider was not found.");
}

function known(key: string | undefined): string {
  return key !== undefined && key in SYSTEM_DEFAULTS ? key : notFound();
}

function view(state: GrafanaState, key: string): Record<string, unknown> {
  const stored = state.sso.get(key);
  const settings: Record<string, unknown> = { ...SYSTEM_DEFAULTS[key], ...stored?.settings };
  for (const name of Object.keys(settings)) {
    if (SECRET_KEYS.has(name) && settings[name] !== "") settings[name] = MASK;
  }
  return { id: stored?.id ?? "", provider: key, settings, source: stored ? "database" : "system" };
}

function camelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

function upsert(context: RouteContext, merge: boolean): SimResponse {
  const { state } = context;
  const key = known(context.params.provider);
  const raw = bodyObject(context).settings;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    failPublic(400, "sso.settings", "Settings field is invalid");
  }
  const previous: SsoSettingsRecord | undefined = state.sso.get(key);
  const current = { ...SYSTEM_DEFAULTS[key], ...previous?.settings };
  const incoming: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record(raw))) {
    const camel = camelCase(name);
    // A masked secret sent back means "keep the one you have".
    incoming[camel] = SECRET_KEYS.has(camel) && value === MASK ? current[camel] : value;
  }
  const settings = merge ? { ...previous?.settings, ...incoming } : incoming;
  validate(key, { ...SYSTEM_DEFAULTS[key], ...settings });
  state.sso.set(key, { id: previous?.id ?? shortUid(), settings });
  return { status: 204 };
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value);
    return url.protocol.startsWith("http") && url.host !== "";
  } catch {
    return false;
  }
}

/** The connectors' Validate: only an enabled provider must be complete. */
function validate(key: string, settings: Record<string, unknown>): void {
  if (settings.enabled !== true) return;
  const invalid = (message: string): never => failPublic(400, "sso.invalidOauthConfig", message);
  if (typeof settings.clientId !== "string" || settings.clientId === "") invalid("Client Id is required.");
  if (key === "generic_oauth" || key === "okta") {
    if (!isHttpUrl(settings.authUrl)) invalid("Auth URL is an invalid URL.");
    if (!isHttpUrl(settings.tokenUrl)) invalid("Token URL is an invalid URL.");
  }
}
