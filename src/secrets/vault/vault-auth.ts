import { HttpError } from "../../http/errors.ts";
import type { HttpClient } from "../../http/types.ts";
import { logger } from "../../observability/logger.ts";
import { redactor } from "../redactor.ts";
import { SecretError } from "../secret-error.ts";
import { isSealed, sealedError, vaultErrorsOf } from "./vault-errors.ts";
import { authSchema, lookupSelfSchema, parseVaultBody } from "./vault-schemas.ts";

/**
 * How the Vault client gets a token. Renewal is lazy: before each call the client asks for a
 * token, and the method renews it (or logs in again) when less than a third of its TTL is
 * left. No timer runs in the background, so an idle CLI process exits normally.
 */
export interface VaultAuthContext {
  http: HttpClient;
  namespace: string | undefined;
}

export interface VaultAuth {
  readonly method: "token" | "approle";
  /** A token good for the next call. */
  token(context: VaultAuthContext): Promise<string>;
  /**
   * A call made with `token` was denied. True when a fresh token was obtained and the call is
   * worth repeating once (AppRole); false when nothing can change (a fixed token).
   */
  afterDenied(context: VaultAuthContext, token: string): Promise<boolean>;
}

export function vaultHeaders(
  token: string | undefined,
  namespace: string | undefined,
): Record<string, string> {
  return {
    ...(token === undefined ? {} : { "X-Vault-Token": token }),
    ...(namespace ? { "X-Vault-Namespace": namespace } : {}),
  };
}

interface Lease {
  token: string;
  /** null: the token never expires (root tokens, periodic tokens without TTL). */
  expiresAt: number | null;
  /** The TTL granted at login; renewal is due when a third of it is left. */
  fullTtlMs: number;
  renewable: boolean;
}

type RenewOutcome = "extended" | "capped" | "denied" | "unreachable";

/** Keeps one lease fresh; concurrent callers share one login or renewal. */
class LeaseKeeper {
  lease: Lease | undefined;
  #pending: Promise<string> | undefined;
  readonly #now: () => number;
  readonly #obtain: (context: VaultAuthContext, previous: Lease | undefined) => Promise<Lease>;

  constructor(
    now: () => number,
    obtain: (context: VaultAuthContext, previous: Lease | undefined) => Promise<Lease>,
  ) {
    this.#now = now;
    this.#obtain = obtain;
  }

  current(context: VaultAuthContext): Promise<string> {
    this.#pending ??= this.#refresh(context).finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #refresh(context: VaultAuthContext): Promise<string> {
    this.lease ??= await this.#obtain(context, undefined);
    const lease = this.lease;
    if (lease.expiresAt === null) return lease.token;
    const remaining = lease.expiresAt - this.#now();
    if (remaining >= lease.fullTtlMs / 3) return lease.token;
    if (remaining > 0 && lease.renewable) {
      const outcome = await this.#renew(context, lease);
      if (outcome === "extended" || outcome === "unreachable") return lease.token;
      // Capped at its max TTL or refused: renewing again cannot help.
      lease.renewable = false;
    }
    this.lease = await this.#obtain(context, lease);
    return this.lease.token;
  }

  async #renew(context: VaultAuthContext, lease: Lease): Promise<RenewOutcome> {
    try {
      const response = await context.http.request({
        method: "POST",
        path: "/v1/auth/token/renew-self",
        headers: vaultHeaders(lease.token, context.namespace),
        body: {},
        safeToRetry: true,
      });
      const { auth } = parseVaultBody(authSchema, response.body, "a token renewal");
      lease.expiresAt = this.#now() + auth.lease_duration * 1000;
      return auth.lease_duration * 1000 >= lease.fullTtlMs / 3 ? "extended" : "capped";
    } catch (error) {
      if (error instanceof HttpError && (error.status === 403 || error.status === 400)) return "denied";
      // Vault is down or sealed: the token is still valid for a while, let the call itself fail.
      logger().warn({ target: context.http.target, err: error }, "vault token renewal failed; will retry");
      return "unreachable";
    }
  }
}

/** A fixed token from the config. It is renewed while renewable; once it expires, only a new token helps. */
export function tokenAuth(token: string, options: { now?: () => number } = {}): VaultAuth {
  redactor.register(token);
  const now = options.now ?? Date.now;
  const keeper = new LeaseKeeper(now, async (context, previous) => {
    if (previous) {
      if (previous.expiresAt !== null && previous.expiresAt > now()) return previous;
      throw expiredToken();
    }
    const info = await lookupSelfWith(context, token);
    return {
      token,
      expiresAt: info.ttl > 0 ? now() + info.ttl * 1000 : null,
      fullTtlMs: (info.creation_ttl ?? info.ttl) * 1000,
      renewable: info.renewable,
    };
  });
  return {
    method: "token",
    token: (context) => keeper.current(context),
    afterDenied: async () => false,
  };
}

export interface AppRoleOptions {
  roleId: string;
  secretId: string;
  /** Where the AppRole auth method is mounted (default "approle"). */
  mount?: string;
  now?: () => number;
}

/** AppRole login; logs in again when the token can no longer be renewed or is refused. */
export function appRoleAuth(options: AppRoleOptions): VaultAuth {
  const mount = options.mount ?? "approle";
  const now = options.now ?? Date.now;
  redactor.register(options.secretId);
  const keeper = new LeaseKeeper(now, async (context) => {
    let body: unknown;
    try {
      const response = await context.http.request({
        method: "POST",
        path: `/v1/auth/${encodeURIComponent(mount)}/login`,
        route: "/v1/auth/{mount}/login",
        headers: vaultHeaders(undefined, context.namespace),
        body: { role_id: options.roleId, secret_id: options.secretId },
        // A repeated login only issues a second token: harmless.
        safeToRetry: true,
      });
      body = response.body;
    } catch (error) {
      throw loginError(error, mount);
    }
    const { auth } = parseVaultBody(authSchema, body, "an AppRole login");
    redactor.register(auth.client_token);
    return {
      token: auth.client_token,
      expiresAt: auth.lease_duration > 0 ? now() + auth.lease_duration * 1000 : null,
      fullTtlMs: auth.lease_duration * 1000,
      renewable: auth.renewable,
    };
  });
  return {
    method: "approle",
    token: (context) => keeper.current(context),
    afterDenied: async (_context, token) => {
      // The token may have been revoked or expired early; one fresh login decides.
      if (keeper.lease?.token === token) keeper.lease = undefined;
      return true;
    },
  };
}

/** GET lookup-self with an explicit token, parsed. */
export async function lookupSelfWith(context: VaultAuthContext, token: string) {
  try {
    const response = await context.http.request({
      method: "GET",
      path: "/v1/auth/token/lookup-self",
      headers: vaultHeaders(token, context.namespace),
    });
    return parseVaultBody(lookupSelfSchema, response.body, "a token lookup").data;
  } catch (error) {
    if (error instanceof HttpError && error.status === 403) throw expiredToken(error);
    if (isSealed(error)) throw sealedError(error);
    throw error;
  }
}

function expiredToken(cause?: unknown): SecretError {
  return new SecretError("auth", "Vault refused the configured token: it is wrong, expired or revoked", {
    hint: "create a new token (`vault token create -policy=…`) and store it where the config's vault token points",
    cause,
  });
}

function loginError(error: unknown, mount: string): unknown {
  if (isSealed(error)) return sealedError(error);
  if (error instanceof HttpError && (error.status === 400 || error.status === 403)) {
    const reason = vaultErrorsOf(error)[0] ?? "permission denied";
    return new SecretError("auth", `Vault AppRole login at auth/${mount} failed: ${reason}`, {
      hint: "check the role_id and secret_id (secret IDs can expire or run out of uses) and the AppRole mount",
      cause: error,
    });
  }
  return error;
}
