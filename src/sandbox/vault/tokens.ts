import { randomBytes, randomUUID } from "node:crypto";
import type { PolicyRule } from "./policies.ts";

/**
 * The simulator's token store. Tokens carry their ACL rules inline (the simulator has no
 * separate policy objects) and a TTL measured on the simulator's clock, so tests can move time
 * forward instead of sleeping. A TTL of 0 means the token never expires (like the root token).
 */
export interface SimToken {
  id: string;
  accessor: string;
  root: boolean;
  /** Policy names shown by lookup-self and login. */
  policies: string[];
  rules: PolicyRule[];
  displayName: string;
  /** The auth path that issued it: "auth/token/root", "auth/approle/login". */
  path: string;
  meta: Record<string, string> | null;
  issuedAt: number;
  ttlSeconds: number;
  maxTtlSeconds: number;
  /** null: never expires. */
  expiresAt: number | null;
  renewable: boolean;
}

export interface NewToken {
  root?: boolean;
  policies?: string[];
  rules?: PolicyRule[];
  displayName?: string;
  path?: string;
  meta?: Record<string, string> | null;
  ttlSeconds?: number;
  maxTtlSeconds?: number;
  renewable?: boolean;
}

export type RenewResult =
  | { ok: true; token: SimToken; capped: boolean; leaseSeconds: number }
  | { ok: false; reason: "not-renewable" };

export class TokenStore {
  readonly #tokens = new Map<string, SimToken>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  create(spec: NewToken, id = newTokenId()): SimToken {
    const now = this.#now();
    const ttlSeconds = spec.ttlSeconds ?? 0;
    const token: SimToken = {
      id,
      accessor: randomBytes(12).toString("base64url"),
      root: spec.root ?? false,
      policies: spec.policies ?? (spec.root ? ["root"] : ["default"]),
      rules: spec.rules ?? [],
      displayName: spec.displayName ?? "token",
      path: spec.path ?? "auth/token/create",
      meta: spec.meta ?? null,
      issuedAt: now,
      ttlSeconds,
      maxTtlSeconds: spec.maxTtlSeconds ?? 0,
      expiresAt: ttlSeconds > 0 ? now + ttlSeconds * 1000 : null,
      renewable: spec.renewable ?? ttlSeconds > 0,
    };
    this.#tokens.set(id, token);
    return token;
  }

  /** The live token with this id; expired tokens are revoked on sight, as Vault's expiration manager does. */
  find(id: string | undefined): SimToken | undefined {
    if (!id) return undefined;
    const token = this.#tokens.get(id);
    if (!token) return undefined;
    if (token.expiresAt !== null && token.expiresAt <= this.#now()) {
      this.#tokens.delete(id);
      return undefined;
    }
    return token;
  }

  /** Extends the lease by the token's TTL, never past its max TTL. */
  renew(token: SimToken): RenewResult {
    if (!token.renewable || token.expiresAt === null) return { ok: false, reason: "not-renewable" };
    const now = this.#now();
    let expiresAt = now + token.ttlSeconds * 1000;
    let capped = false;
    if (token.maxTtlSeconds > 0) {
      const limit = token.issuedAt + token.maxTtlSeconds * 1000;
      if (expiresAt > limit) {
        expiresAt = limit;
        capped = true;
      }
    }
    token.expiresAt = expiresAt;
    return { ok: true, token, capped, leaseSeconds: Math.floor((expiresAt - now) / 1000) };
  }

  /** Whole seconds left, as Vault reports `ttl` and `lease_duration`. */
  remainingSeconds(token: SimToken): number {
    return token.expiresAt === null ? 0 : Math.max(0, Math.floor((token.expiresAt - this.#now()) / 1000));
  }
}

/** Vault 1.10+ service tokens look like `hvs.` followed by random text. */
export function newTokenId(): string {
  return `hvs.${randomBytes(18).toString("base64url")}`;
}

export function newUuid(): string {
  return randomUUID();
}
