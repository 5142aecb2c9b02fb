import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * The daemon's credentials: one bearer token (from the secret store) for machines, and browser
 * sessions created by logging in with that token. Comparisons are constant-time over digests, so
 * neither the length nor a prefix of the token leaks through timing.
 */
export class DaemonAuth {
  readonly #tokenDigest: Buffer;
  readonly #sessions = new Map<string, number>();
  readonly #now: () => number;
  readonly #sessionMs: number;

  constructor(token: string, options: { now?: () => number; sessionMs?: number } = {}) {
    this.#tokenDigest = digest(token);
    this.#now = options.now ?? Date.now;
    this.#sessionMs = options.sessionMs ?? 12 * 3600_000;
  }

  tokenMatches(candidate: string): boolean {
    return timingSafeEqual(digest(candidate), this.#tokenDigest);
  }

  /** True for `Authorization: Bearer <token>` with the right token. */
  bearerAllowed(header: string | undefined): boolean {
    const match = /^Bearer\s+(.+)$/i.exec(header ?? "");
    return match !== null && this.tokenMatches(match[1]?.trim() ?? "");
  }

  openSession(): string {
    const id = randomBytes(32).toString("base64url");
    this.#sessions.set(id, this.#now() + this.#sessionMs);
    return id;
  }

  sessionValid(id: string | undefined): boolean {
    if (!id) return false;
    const expires = this.#sessions.get(id);
    if (expires === undefined) return false;
    if (expires < this.#now()) {
      this.#sessions.delete(id);
      return false;
    }
    return true;
  }

  closeSession(id: string | undefined): void {
    if (id) this.#sessions.delete(id);
  }
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/**
 * Failed logins per client address: after `limit` failures in `windowMs`, further attempts are
 * refused without even checking the token until the window passes.
 */
export class LoginThrottle {
  readonly #failures = new Map<string, number[]>();
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;

  constructor(options: { limit?: number; windowMs?: number; now?: () => number } = {}) {
    this.#limit = options.limit ?? 5;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  blocked(client: string): boolean {
    return this.#recent(client).length >= this.#limit;
  }

  recordFailure(client: string): void {
    const recent = this.#recent(client);
    recent.push(this.#now());
    this.#failures.set(client, recent);
  }

  recordSuccess(client: string): void {
    this.#failures.delete(client);
  }

  #recent(client: string): number[] {
    const since = this.#now() - this.#windowMs;
    return (this.#failures.get(client) ?? []).filter((at) => at > since);
  }
}
