import { HttpError } from "../../http/errors.ts";
import type { HttpClient, HttpRequest } from "../../http/types.ts";
import { redactor } from "../redactor.ts";
import { SecretError } from "../secret-error.ts";
import { lookupSelfWith, type VaultAuth, type VaultAuthContext, vaultHeaders } from "./vault-auth.ts";
import { isPermissionDenied, mapVaultError, type VaultOperation } from "./vault-errors.ts";
import {
  healthSchema,
  kvListSchema,
  kvMetadataSchema,
  kvReadSchema,
  kvWriteSchema,
  parseVaultBody,
} from "./vault-schemas.ts";

/**
 * A small client for the parts of Vault Autopilot uses: KV version 2 and the token's own
 * status. Every call goes through the target's HttpClient (TLS, retries, breaker, metrics);
 * this layer adds the token and namespace headers, renews or re-obtains the token, and turns
 * Vault's error bodies into errors that say what to fix.
 */
export interface VaultClientOptions {
  http: HttpClient;
  /** Vault Enterprise / OpenBao namespace, sent as X-Vault-Namespace. */
  namespace?: string;
  auth: VaultAuth;
}

export interface KvSecret {
  /** Non-string values (numbers, objects) are given as their JSON text. */
  data: Record<string, string>;
  version: number;
}

export interface KvMetadata {
  currentVersion: number;
  createdTime: string;
  updatedTime: string;
}

export interface VaultHealth {
  initialized: boolean;
  sealed: boolean;
  standby: boolean;
  version: string | null;
}

export interface VaultTokenInfo {
  accessor: string;
  policies: string[];
  /** Seconds left; 0 for a token that never expires. */
  ttl: number;
  expireTime: string | null;
  renewable: boolean;
}

export interface VaultClient {
  readonly namespace: string | undefined;
  readonly authMethod: VaultAuth["method"];
  /** The latest version of a secret; undefined when there is none (or it was deleted). */
  readKv(mount: string, path: string): Promise<KvSecret | undefined>;
  /** Writes a new version; with `cas`, only when the current version is `cas` (0: must not exist). */
  writeKv(
    mount: string,
    path: string,
    data: Record<string, string>,
    cas?: number,
  ): Promise<{ version: number }>;
  /** Deletes every version and the metadata. Deleting what does not exist succeeds. */
  deleteKv(mount: string, path: string): Promise<void>;
  /** Keys directly under a folder; sub-folders end with "/". [] when there is nothing. */
  listKv(mount: string, path: string): Promise<string[]>;
  readKvMetadata(mount: string, path: string): Promise<KvMetadata | undefined>;
  health(): Promise<VaultHealth>;
  lookupSelf(): Promise<VaultTokenInfo>;
}

const SEGMENT = /^[A-Za-z0-9_.-]+$/;

export function createVaultClient(options: VaultClientOptions): VaultClient {
  const { http, auth } = options;
  const namespace = options.namespace?.replace(/^\/+|\/+$/g, "") || undefined;
  const context: VaultAuthContext = { http, namespace };

  /** Sends with the current token; after a 403, once more if the auth method could get a new token. */
  async function send(request: HttpRequest, operation: VaultOperation): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      const token = await auth.token(context);
      try {
        const response = await http.request({
          ...request,
          headers: { ...request.headers, ...vaultHeaders(token, namespace) },
        });
        return response.body;
      } catch (error) {
        if (attempt === 1 && isPermissionDenied(error) && (await auth.afterDenied(context, token))) continue;
        throw mapVaultError(error, operation);
      }
    }
  }

  /** Like send, but a 404 means "nothing there". */
  async function sendOrMissing(request: HttpRequest, operation: VaultOperation): Promise<unknown> {
    try {
      return await send(request, operation);
    } catch (error) {
      if (error instanceof SecretError && error.kind === "not-found" && error.cause instanceof HttpError) {
        return undefined;
      }
      throw error;
    }
  }

  function operation(verb: string, mount: string, path: string, area: string, capability: string) {
    return { verb, mount, path, aclPath: `${mount}/${area}/${path}`, capability };
  }

  return {
    namespace,
    authMethod: auth.method,

    async readKv(mount, path) {
      const body = await sendOrMissing(
        { method: "GET", path: kvPath(mount, "data", path), route: "/v1/{mount}/data/{path}" },
        operation("read", mount, path, "data", "read"),
      );
      if (body === undefined) return undefined;
      const { data } = parseVaultBody(kvReadSchema, body, `the read of ${mount}/${path}`);
      if (data.data === null) return undefined;
      const values: Record<string, string> = {};
      for (const [key, value] of Object.entries(data.data)) {
        const text = typeof value === "string" ? value : JSON.stringify(value);
        redactor.register(text);
        values[key] = text;
      }
      return { data: values, version: data.metadata.version };
    },

    async writeKv(mount, path, data, cas) {
      for (const value of Object.values(data)) redactor.register(value);
      const body = await send(
        {
          method: "POST",
          path: kvPath(mount, "data", path),
          route: "/v1/{mount}/data/{path}",
          body: { data, ...(cas === undefined ? {} : { options: { cas } }) },
          // Writing the same data twice only adds a version; with cas a repeat would fail falsely.
          safeToRetry: cas === undefined,
        },
        operation("write", mount, path, "data", "create/update"),
      );
      return { version: parseVaultBody(kvWriteSchema, body, `the write of ${mount}/${path}`).data.version };
    },

    async deleteKv(mount, path) {
      await send(
        { method: "DELETE", path: kvPath(mount, "metadata", path), route: "/v1/{mount}/metadata/{path}" },
        operation("delete", mount, path, "metadata", "delete"),
      );
    },

    async listKv(mount, path) {
      const folder = path.replace(/\/+$/, "");
      const body = await sendOrMissing(
        {
          method: "GET",
          path: `${kvPath(mount, "metadata", folder, true)}/`,
          route: "/v1/{mount}/metadata/{path}/",
          query: { list: true },
        },
        operation("list", mount, folder, "metadata", "list"),
      );
      if (body === undefined) return [];
      return parseVaultBody(kvListSchema, body, `the listing of ${mount}/${folder}`).data.keys;
    },

    async readKvMetadata(mount, path) {
      const body = await sendOrMissing(
        { method: "GET", path: kvPath(mount, "metadata", path), route: "/v1/{mount}/metadata/{path}" },
        operation("read metadata of", mount, path, "metadata", "read"),
      );
      if (body === undefined) return undefined;
      const { data } = parseVaultBody(kvMetadataSchema, body, `the metadata of ${mount}/${path}`);
      return {
        currentVersion: data.current_version,
        createdTime: data.created_time,
        updatedTime: data.updated_time,
      };
    },

    async health() {
      let body: unknown;
      try {
        const response = await http.request({
          method: "GET",
          path: "/v1/sys/health",
          query: { standbyok: true, sealedcode: 503, uninitcode: 501 },
        });
        body = response.body;
      } catch (error) {
        // Sealed (503) and uninitialised (501) still answer with the health document.
        if (!(error instanceof HttpError && (error.status === 503 || error.status === 501))) throw error;
        body = error.body;
      }
      const health = parseVaultBody(healthSchema, body, "the health check");
      return {
        initialized: health.initialized,
        sealed: health.sealed,
        standby: health.standby,
        version: health.version ?? null,
      };
    },

    async lookupSelf() {
      const info = await lookupSelfWith(context, await auth.token(context));
      return {
        accessor: info.accessor,
        policies: info.policies ?? [],
        ttl: info.ttl,
        expireTime: info.expire_time,
        renewable: info.renewable,
      };
    },
  };
}

/** `/v1/{mount}/{area}/{path}` with each segment checked, so a path can never climb out of the mount. */
function kvPath(mount: string, area: "data" | "metadata", path: string, allowEmpty = false): string {
  const segments = path === "" && allowEmpty ? [] : path.split("/");
  for (const segment of [mount, ...segments]) {
    if (!SEGMENT.test(segment) || segment === "." || segment === "..") {
      throw new SecretError("invalid", `"${mount}/${path}" is not a valid Vault KV path`, {
        hint: "use letters, digits, '_', '.', '-' separated by '/', like apps/grafana",
      });
    }
  }
  return ["", "v1", mount, area, ...segments].join("/");
}
