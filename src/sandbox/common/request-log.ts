/** What a simulator received, for GET /__sandbox/requests and for tests that count writes. */
export interface LoggedRequest {
  method: string;
  path: string;
  /** 0 when the connection was dropped before any status was sent. */
  status: number;
  ms: number;
  /** The injected fault, when there was one. */
  fault?: string;
}

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export class RequestLog {
  readonly #entries: LoggedRequest[] = [];
  readonly #limit: number;

  /** Keeps the newest `limit` entries so a long soak cannot grow memory without bound. */
  constructor(limit = 100_000) {
    this.#limit = limit;
  }

  add(entry: LoggedRequest): void {
    this.#entries.push(entry);
    if (this.#entries.length > this.#limit) this.#entries.splice(0, this.#entries.length - this.#limit);
  }

  all(): LoggedRequest[] {
    return [...this.#entries];
  }

  writes(): LoggedRequest[] {
    return this.#entries.filter((entry) => WRITE_METHODS.has(entry.method));
  }

  clear(): void {
    this.#entries.length = 0;
  }
}
