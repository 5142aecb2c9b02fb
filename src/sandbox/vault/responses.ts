import { randomUUID } from "node:crypto";
import type { SimResponse } from "../common/sim-server.ts";

/** Vault's answer envelope and error bodies, shared by every route of the simulator. */

/** Every Vault error body is `{"errors": [...]}`; a plain 404 has an empty list. */
export function vaultError(status: number, ...errors: string[]): SimResponse {
  return { status, body: { errors } };
}

/** A missing, unknown or expired token: Vault does not say which. */
export const permissionDenied = (): SimResponse => vaultError(403, "permission denied");

/** A valid token whose policy does not grant the capability (Vault wraps it as a multierror). */
export const policyDenied = (): SimResponse =>
  vaultError(403, "1 error occurred:\n\t* permission denied\n\n");

export const notFound = (): SimResponse => vaultError(404);

export const sealedError = (): SimResponse => vaultError(503, "Vault is sealed");

export interface EnvelopeParts {
  data?: unknown;
  auth?: unknown;
  warnings?: string[] | null;
}

/** The response wrapper every logical Vault endpoint uses. */
export function envelope(parts: EnvelopeParts, status = 200): SimResponse {
  return {
    status,
    body: {
      request_id: randomUUID(),
      lease_id: "",
      renewable: false,
      lease_duration: 0,
      data: parts.data ?? null,
      wrap_info: null,
      warnings: parts.warnings ?? null,
      auth: parts.auth ?? null,
    },
  };
}

/** Vault's timestamps: RFC 3339 with sub-second digits, in UTC. */
export function vaultTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

export function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false; response: SimResponse } {
  if (raw.length === 0) return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(raw.toString("utf8")) };
  } catch {
    return { ok: false, response: vaultError(400, "failed to parse JSON input: invalid character") };
  }
}
